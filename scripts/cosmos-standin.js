// Starts the partial Cosmos DB stand-in (npm @vercel/cosmosdb-server) on loopback with keep-alive: its own
// command line closes every connection, which makes the SDK several times slower. Test infrastructure only; see
// shared ENVIRONMENT.md for what it does faithfully. Usage: node scripts/cosmos-standin.js PORT
const { createHttpsServer } = require("@vercel/cosmosdb-server");

const port = Number(process.argv[2] || 8081);
const server = createHttpsServer();
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => console.log(`cosmos stand-in listening on https://127.0.0.1:${port}`));
