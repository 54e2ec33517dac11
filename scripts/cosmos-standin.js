// Starts the partial Cosmos DB stand-in (npm @vercel/cosmosdb-server) on loopback with keep-alive: its own
// command line closes every connection, which makes the SDK several times slower. Test infrastructure only; see
// shared ENVIRONMENT.md for what it does faithfully. Usage: node scripts/cosmos-standin.js PORT
const { createHttpsServer } = require("@vercel/cosmosdb-server");
const ResourceId = require("@vercel/cosmosdb-server/lib/account/resource-id").default;

// Resource ids travel in URL paths (/dbs/{rid}/colls/{rid}/pkranges), so Cosmos DB writes '-' for base64's '/'. The
// stand-in writes plain base64 (and reads back only the first '-'): every database whose id holds a '/' (the 63rd
// created, the 767th, ...) then answers 404 to the SDK's id-addressed requests, failing whichever test drew it.
ResourceId.toBase64String = buffer => buffer.toString("base64").replace(/\//g, "-");
ResourceId.fromBase64String = text => Buffer.from(text.replace(/-/g, "/"), "base64");

const port = Number(process.argv[2] || 8081);
const server = createHttpsServer();
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => console.log(`cosmos stand-in listening on https://127.0.0.1:${port}`));
