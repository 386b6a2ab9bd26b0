// oauth2-mock-server on 127.0.0.1, the baseline for the token-endpoint benchmark.
// Prints "issuer <url>" once listening; stops on SIGTERM.
import { OAuth2Server } from "oauth2-mock-server";

const server = new OAuth2Server();
await server.issuer.keys.generate("RS256");
await server.start(0, "127.0.0.1");
console.log(`issuer ${server.issuer.url}`);
process.on("SIGTERM", async () => { await server.stop(); process.exit(0); });
