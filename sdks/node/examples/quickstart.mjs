import { Interflow, InterflowError } from '@interflow/sdk';

const interflow = new Interflow({ apiKey: process.env.INTERFLOW_API_KEY, baseUrl: process.env.INTERFLOW_BASE_URL ?? Interflow.SANDBOX_URL });
const channel = await interflow.channels.create({ name: 'Loja', kind: 'sandbox' });
const message = await interflow.messages.send({ channel_id: channel.id, to: '5511987654321', type: 'text', content: { text: 'Seu pedido saiu para entrega' } });
console.log(`message ${message.id}: ${message.status}`);
for await (const customer of interflow.customers.listAll()) console.log(`customer ${customer.id} ${customer.phone}`);
try {
  await interflow.customers.create({ name: '' });
} catch (error) {
  if (error instanceof InterflowError) console.log(`${error.status} ${error.code}: ${error.details.map((d) => d.field).join(', ')}`);
}
