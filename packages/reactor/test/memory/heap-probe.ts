/**
 * The operator whose heap `heap.test.ts` measures, alone in its process (started
 * with `--expose-gc`, which vitest's workers do not have): one create handler that
 * matches every object, one event handler that counts the objects it has seen.
 * Once it has seen them all and its per-object workers have gone idle and exited,
 * it collects garbage until the heap holds still and prints one JSON line:
 * `{ seen, heapUsed, rss }`.
 *
 *   node --expose-gc --conditions=@kopf/source --import tsx heap-probe.ts '{"connection":…,"namespace":"bench","objects":10000}'
 */
import { type ConnectionInfo, on, Registry } from '@kopf/core';
import { Operator, streamSink } from '@kopf/reactor';

/** What the test tells the probe. */
interface ProbeOptions {
  readonly connection: ConnectionInfo;
  readonly namespace: string;
  readonly objects: number;
  /** Seconds to wait for all objects to be seen; default 120. */
  readonly timeout?: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as ProbeOptions;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('Measuring the heap failed: start the probe with --expose-gc');

const names = new Set<string>();
let seen = 0;
const registry = new Registry();
on.create('kopfexamples', { registry }, function create_fn() {
  return { message: 'hello world' };
});
on.event('kopfexamples', { registry }, function count_fn({ name }) {
  if (seen >= options.objects || !name) return;
  names.add(name);
  if (names.size >= options.objects) {
    seen = names.size;
    names.clear(); // the probe's own bookkeeping must not count as the operator's heap
  }
});

const operator = new Operator({
  registry,
  connection: { connection: options.connection },
  namespaces: [options.namespace],
  logs: streamSink({ level: 'error' }),
});
await operator.start();
await operator.ready;
const deadline = Date.now() + (options.timeout ?? 120) * 1000;
while (seen < options.objects) {
  if (Date.now() > deadline) {
    throw new Error(
      `Measuring the heap failed: the operator saw ${names.size} of ${options.objects} objects ` +
        `within ${options.timeout ?? 120} s; run the probe alone to see its errors`,
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}
// Idle per-object workers live on for idleTimeout + exitTimeout; the steady state comes after.
// Then read until two readings a second apart agree (a slow machine may still be cleaning up).
const { idleTimeout, exitTimeout } = operator.settings.queueing;
const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
if (options.objects > 0) await sleep(idleTimeout + exitTimeout + 1);
let heapUsed = collectedHeap(gc);
for (let attempt = 0; attempt < 10; attempt++) {
  await sleep(1);
  const again = collectedHeap(gc);
  const settled = Math.abs(again - heapUsed) < heapUsed * 0.005;
  heapUsed = again;
  if (settled) break;
}
process.stdout.write(`${JSON.stringify({ seen, heapUsed, rss: process.memoryUsage().rss })}\n`);
await operator.stop();

/** The heap in use after two full collections. */
function collectedHeap(collect: () => void): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}
