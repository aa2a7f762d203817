/**
 * An operator embedded in a Node service (Kopf's example 12): the service starts
 * the operator beside its HTTP server, serves what the operator knows (here: the
 * names it has handled, kept in the operator-wide memo), and stops both cleanly.
 */
import { createServer, type Server } from 'node:http';
import { on, Registry } from '@kopf/core';
import { Operator, type OperatorOptions } from '@kopf/reactor';

declare module '@kopf/core' {
  interface Memo {
    handled?: Set<string>;
  }
}

/** The service: an HTTP server and an operator with its own registry, started and stopped together. */
export async function startService(
  options: OperatorOptions & { port?: number },
): Promise<{ url: string; stop(): Promise<void> }> {
  const registry = new Registry();
  const memo = { handled: new Set<string>() };
  on.create('kopfexamples', { registry }, function create_fn({ name, memo }) {
    memo.handled?.add(name ?? '');
  });
  const operator = new Operator({ ...options, registry, memo });
  const server: Server = createServer((_, response) => {
    response.setHeader('Content-Type', 'application/json');
    response.end(JSON.stringify({ handled: [...memo.handled] }));
  });
  await operator.start();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await operator.stop();
    },
  };
}
