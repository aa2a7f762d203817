/**
 * The operator under benchmark, alone in its process (forked by `operator-suite.ts`
 * through `scripts/bench/child-processes.ts`): one create handler that returns a
 * value (`status.create_fn`), one update handler that returns the spec's `round`
 * (`status.update_fn`), and one resume handler that only counts (so a restart
 * over already-handled objects shows when every object has been resumed). Logs are
 * formatted as `kopf run` would, at info level, into a null stream (formatting
 * counts, terminal I/O does not); `KOPF_BENCH_ECHO=1` prints them, at debug level.
 *
 * Commands: `start` (resolves once every watched resource is listed), `wait-resumed`
 * (until N objects have been resumed), `report` (handler start times, memory),
 * `stop`.
 */
import { type ConnectionInfo, on, Registry } from '@kopf/core';
import { Operator, streamSink } from '@kopf/reactor';
import { serveParent } from '../../../scripts/bench/child-processes.js';
import { exampleIndex } from '../../../scripts/bench/kopf-examples.js';
import { epochMs } from '../../../scripts/bench/latencies.js';
import { memoryReading } from '../../../scripts/bench/memory-readings.js';

const connection = JSON.parse(process.argv[2] ?? '{}') as ConnectionInfo;

/** Index → when its create handler started (`epochMs`). */
const handlerStarts = new Map<number, number>();
/** Index → when its update handler started (`epochMs`), for its first update. */
const updateStarts = new Map<number, number>();
let resumed = 0;
const resumeWaiters: { count: number; resolve: (at: number) => void }[] = [];

const registry = new Registry();
on.create('kopfexamples', { registry }, function create_fn({ name }) {
  const index = exampleIndex(name);
  if (index !== undefined && !handlerStarts.has(index)) handlerStarts.set(index, epochMs());
  return { message: 'hello world' };
});
on.update('kopfexamples', { registry }, function update_fn({ name, spec }) {
  const index = exampleIndex(name);
  if (index !== undefined && !updateStarts.has(index)) updateStarts.set(index, epochMs());
  return { round: (spec as { round?: number }).round };
});
on.resume('kopfexamples', { registry }, function resume_fn() {
  resumed += 1;
  const at = epochMs();
  for (let i = resumeWaiters.length - 1; i >= 0; i--) {
    const waiter = resumeWaiters[i];
    if (waiter && resumed >= waiter.count) {
      resumeWaiters.splice(i, 1);
      waiter.resolve(at);
    }
  }
});

const operator = new Operator({
  registry,
  connection: { connection },
  namespaces: ['bench'],
  logs: process.env.KOPF_BENCH_ECHO
    ? streamSink({ level: 'debug' })
    : streamSink({ level: 'info', stream: { write: () => true } }),
});
const errors: string[] = [];
operator.on('error', (error) => errors.push(error instanceof Error ? error.message : String(error)));

const { idleTimeout, exitTimeout } = operator.settings.queueing;
serveParent(
  { pid: process.pid, workerLifetime: idleTimeout + exitTimeout },
  {
    start: async () => {
      const startedAt = epochMs();
      await operator.start();
      await operator.ready;
      return { startedAt, readyAt: epochMs() };
    },
    'wait-resumed': (count) =>
      resumed >= Number(count)
        ? epochMs()
        : new Promise<number>((resolve) => resumeWaiters.push({ count: Number(count), resolve })),
    report: () => ({
      handlerStarts: [...handlerStarts],
      updateStarts: [...updateStarts],
      resumed,
      errors,
      memory: memoryReading(),
    }),
    stop: () => operator.stop(),
  },
);
