import { createServer } from 'node:http';
import { on, Registry } from '@kopf/core';
import { Operator } from '@kopf/reactor';

declare module '@kopf/core' {
  interface Memo {
    handled?: Set<string>;
  }
}

const registry = new Registry(); // this service's handlers only
const memo = { handled: new Set<string>() }; // shared by the operator and the service
on.create('kopfexamples', { registry }, function create_fn({ name, memo }) {
  memo.handled?.add(name ?? '');
});

const operator = new Operator({ registry, memo, namespaces: ['default'] });
const server = createServer((_, response) => {
  response.setHeader('Content-Type', 'application/json');
  response.end(JSON.stringify({ handled: [...memo.handled] }));
});

await operator.start(); // connects, runs on.startup, starts watching
await operator.ready; // every watched resource has been listed once
server.listen(8000);

process.once('SIGTERM', async () => {
  server.close();
  await operator.stop(); // graceful; then no timers or sockets are left: the process exits
});
