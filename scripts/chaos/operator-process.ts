/**
 * The operator under chaos, alone in its process (forked, killed and restarted by
 * `supervising.ts`): two creation handlers, an update handler and a deletion handler
 * on the chaos objects. Every attempt first reads the object fresh from the API
 * server (to learn whether this work was already persisted: a repeat), then fails
 * temporarily for a seeded share of attempts, and writes one record to this
 * process's side-store file before it returns — so a success is on disk before
 * the operator can persist it. Logs go to stdout at info level (debug with `verbose`; a file, kept with
 * the run); stderr is left for what Node prints on a crash. Watch restarts (410 Gone
 * among them) go to the side store too.
 *
 * The one argument is a JSON {@link OperatorProcessConfig}. It announces itself
 * (`ready`) once the operator is ready, and answers `stop` (a graceful stop).
 */
import { join } from 'node:path';
import {
  type ChangingKwargs,
  type ConnectionInfo,
  type KubernetesObject,
  on,
  Registry,
  TemporaryError,
} from '@kopf/core';
import { getObject } from '@kopf/k8s';
import { Operator, streamSink, teeSink } from '@kopf/reactor';
import { serveParent } from '../bench/child-processes.js';
import { KOPF_EXAMPLES } from '../bench/kopf-examples.js';
import { NAMESPACE, persistedSuccess, specValue } from './chaos-objects.js';
import { Randomness } from './randomness.js';
import { type ChaosHandlerId, SideStore } from './side-store.js';
import { watchRestartSink } from './watch-restarts.js';

/** What the parent tells the operator process. */
export interface OperatorProcessConfig {
  readonly connection: ConnectionInfo;
  /** Where this process writes its side-store file (`runs-<pid>.ndjson`). */
  readonly storeDir: string;
  readonly seed: string;
  /** The share of handler attempts that fail temporarily. */
  readonly handlerFailureRatio: number;
  /** Log debug lines too (`--verbose`). */
  readonly verbose?: boolean;
}

const config = JSON.parse(process.argv[2] ?? '{}') as OperatorProcessConfig;
const random = new Randomness(config.seed);
const store = SideStore.open(join(config.storeDir, `runs-${process.pid}.ndjson`));

/** A handler that records each attempt, and fails on purpose now and then. */
function recordedHandler(handler: ChaosHandlerId) {
  return async ({ name, body, retry, client }: ChangingKwargs): Promise<{ value: number } | undefined> => {
    const value = specValue(body);
    const object = name ?? '';
    const fresh = await getObject<KubernetesObject>(client, KOPF_EXAMPLES, {
      name: object,
      namespace: NAMESPACE,
    });
    const fails = random.chance(
      config.handlerFailureRatio,
      'handler-failure',
      handler,
      object,
      value ?? -1,
      retry,
    );
    store.append({
      kind: 'run',
      at: Date.now(),
      pid: process.pid,
      handler,
      object,
      generation: body.metadata?.generation,
      value,
      retry,
      outcome: fails ? 'temporary-failure' : 'success',
      persistedBefore: persistedSuccess(fresh, handler, value),
    });
    if (fails) throw new TemporaryError('chaos: failing on purpose', { delay: 0.5 });
    return handler === 'delete_fn' || value === undefined ? undefined : { value };
  };
}

const registry = new Registry();
on.create('kopfexamples', { registry, id: 'create_first' }, recordedHandler('create_first'));
on.create('kopfexamples', { registry, id: 'create_second' }, recordedHandler('create_second'));
on.update('kopfexamples', { registry, id: 'update_fn' }, recordedHandler('update_fn'));
on.delete('kopfexamples', { registry, id: 'delete_fn' }, recordedHandler('delete_fn'));

const operator = new Operator({
  registry,
  connection: { connection: config.connection },
  namespaces: [NAMESPACE],
  standalone: true,
  logs: teeSink(
    streamSink({ level: config.verbose ? 'debug' : 'info', stream: process.stdout }),
    watchRestartSink(store, KOPF_EXAMPLES.plural),
  ),
});
operator.on('error', (error) => {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  store.append({ kind: 'operator-error', at: Date.now(), pid: process.pid, message });
});
await operator.start();
await operator.ready;
serveParent(
  { pid: process.pid },
  {
    stop: async () => {
      await operator.stop();
      store.close();
    },
  },
);
