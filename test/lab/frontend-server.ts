/**
 * The environment front-end: a tiny HTTP or HTTPS listener run inside the cloud namespace:
 *   node --import tsx test/lab/frontend-server.ts --listen ADDR:PORT [--listen ADDR:PORT...] [--cert F --key F]
 * One process per port number (its private and public address), so a scenario can close port 80
 * (Sentry) by stopping just that process.
 */
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    listen: { type: 'string', multiple: true },
    cert: { type: 'string' },
    key: { type: 'string' },
  },
});
const listen = (values.listen ?? []).map((l) => {
  const m = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(l);
  if (!m) throw new Error(`--listen wants IPv4:PORT, got ${l}`);
  return { addr: m[1]!, port: Number(m[2]) };
});
if (listen.length === 0) {
  process.stderr.write('usage: frontend-server --listen ADDR:PORT [--listen ...] [--cert FILE --key FILE]\n');
  process.exit(2);
}

const tls = values.cert && values.key ? { cert: readFileSync(values.cert), key: readFileSync(values.key) } : undefined;
const handler = (req: IncomingMessage, res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`acme-dev front-end (${tls ? 'https' : 'http'}) ${req.method} ${req.url}\n`);
};

for (const { addr, port } of listen) {
  const server = tls ? createHttps(tls, handler) : createHttp(handler);
  // A probe that only opens and closes a TCP connection (nc -z, the check) must not crash the server.
  server.on('clientError', (_err, socket) => socket.destroy());
  server.listen(port, addr, () => process.stdout.write(`listening on ${addr}:${port}\n`));
}
// Stop at once on a signal: open keep-alive connections must not hold up the lab's teardown.
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => process.exit(0));
