// A Playwright browser server on loopback, for the remote-browser test (e2e/remote/).
//
//   node server.mjs CHROMIUM_PATH
//
// Prints one JSON line, {"wsEndpoint": "ws://127.0.0.1:PORT/ID"}, once the server
// listens, then serves until its stdin closes (the test holds the pipe), so it
// never outlives the test that started it. Launched with no proxy and no
// certificate pin: what the harness needs comes per browser context.
import { chromium } from 'playwright-core';

const executablePath = process.argv[2];
if (!executablePath) {
  process.stderr.write('usage: node server.mjs CHROMIUM_PATH\n');
  process.exit(2);
}
const server = await chromium.launchServer({ executablePath, host: '127.0.0.1', port: 0, headless: true });
process.stdout.write(JSON.stringify({ wsEndpoint: server.wsEndpoint() }) + '\n');

let closing = false;
const close = async () => {
  if (closing) return;
  closing = true;
  await server.close();
  process.exit(0);
};
process.stdin.on('end', close);
process.stdin.on('error', close);
process.on('SIGTERM', close);
process.stdin.resume();
