import os

from interflow import Interflow, InterflowError

with Interflow(os.environ["INTERFLOW_API_KEY"], base_url=os.environ.get("INTERFLOW_BASE_URL", Interflow.SANDBOX_URL)) as interflow:
    channel = interflow.channels.create({"name": "Loja", "kind": "sandbox"})
    message = interflow.messages.send({"channel_id": channel.id, "to": "5511987654321", "type": "text", "content": {"text": "Seu pedido saiu para entrega"}})
    print(f"message {message.id}: {message.status}")
    for customer in interflow.customers.list_all():
        print(f"customer {customer.id} {customer.phone}")
    try:
        interflow.customers.create({"name": ""})
    except InterflowError as error:
        print(f"{error.status} {error.code}: {', '.join(d.field for d in error.details)}")
