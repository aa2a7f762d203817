/**
 * The baseline of the operator benchmarks: what the same work costs without any
 * framework. A hand-written loop over `@kubernetes/client-node` 1.4.0, alone in its
 * process like the operator: one watch of the objects, and for each new object
 * without a result, one merge-patch of `status.create_fn` (the value the operator's
 * create handler returns); for each object whose `spec.round` is not yet in
 * `status.update_fn`, one merge-patch of it (the operator's update handler); at most
 * 32 in flight, a failed one retried (client-node opens a connection per request,
 * which a burst can exhaust). No finalizer, no diff-base, no progress: the floor for
 * this server with this client library.
 *
 * Commands (see `child-processes.ts`): `start` (resolves once the watch is open),
 * `list` (lists every object, 500 per page: the floor of an operator's start-up),
 * `report` (when each object's "handler" started, errors, CPU and memory), `stop`.
 */
import type { KubernetesObject } from '@kopf/core';
import {
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import { serveParent } from './child-processes.js';
import type { ServerConnection } from './fake-servers.js';
import { exampleIndex, KOPF_EXAMPLES, NAMESPACE } from './kopf-examples.js';
import { epochMs } from './latencies.js';
import { memoryReading } from './memory-readings.js';

const connection = JSON.parse(process.argv[2] ?? '{}') as ServerConnection;
const config = new KubeConfig();
config.loadFromOptions({
  clusters: [
    { name: 'bench', server: connection.server, caData: Buffer.from(connection.caData).toString('base64') },
  ],
  users: [{ name: 'bench', token: connection.token }],
  contexts: [{ name: 'bench', cluster: 'bench', user: 'bench' }],
  currentContext: 'bench',
});
const api = config.makeApiClient(CustomObjectsApi);
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Index → when its first patch attempt started (`epochMs`): the baseline's "handler start". */
const handlerStarts = new Map<number, number>();
/** Index → when its first update patch started (`epochMs`). */
const updateStarts = new Map<number, number>();
/** Objects seen and queued for their patch, as `<index>` and `<index>@<round>`. */
const queued = new Set<string>();
/** The first errors (at most 100), and how many there were. */
const errors: string[] = [];
let errorCount = 0;

function noteError(text: string): void {
  errorCount += 1;
  if (errors.length < 100) errors.push(text);
}
let controller: AbortController | undefined;

const IN_FLIGHT = 32;
const ATTEMPTS = 5;
/** One status patch to make, and where to note when it started. */
interface Job {
  readonly name: string;
  readonly index: number;
  readonly status: Record<string, unknown>;
  readonly starts: Map<number, number>;
}
const queue: Job[] = [];
let inFlight = 0;

async function storeResult({ name, status }: Job): Promise<void> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      await api.patchNamespacedCustomObjectStatus(
        {
          group: KOPF_EXAMPLES.group,
          version: KOPF_EXAMPLES.version,
          plural: KOPF_EXAMPLES.plural,
          namespace: NAMESPACE,
          name,
          body: { status },
        },
        mergePatch,
      );
      return;
    } catch (error) {
      noteError(
        `patching ${name} (attempt ${attempt}): ${error instanceof Error ? error.message : String(error)}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/** Starts queued patches while fewer than {@link IN_FLIGHT} are under way. */
function drain(): void {
  while (inFlight < IN_FLIGHT && queue.length > 0) {
    const job = queue.shift() as Job;
    inFlight += 1;
    if (!job.starts.has(job.index)) job.starts.set(job.index, epochMs());
    void storeResult(job).finally(() => {
      inFlight -= 1;
      drain();
    });
  }
}

/** Lists every object page by page, as an operator's start-up must. */
async function listAll(): Promise<{ seconds: number; pages: number; items: number }> {
  const started = epochMs();
  let pages = 0;
  let items = 0;
  let token: string | undefined;
  do {
    const page = (await api.listNamespacedCustomObject({
      group: KOPF_EXAMPLES.group,
      version: KOPF_EXAMPLES.version,
      plural: KOPF_EXAMPLES.plural,
      namespace: NAMESPACE,
      limit: 500,
      _continue: token,
    })) as { items?: unknown[]; metadata?: { continue?: string } };
    pages += 1;
    items += page.items?.length ?? 0;
    token = page.metadata?.continue || undefined;
  } while (token !== undefined);
  return { seconds: (epochMs() - started) / 1000, pages, items };
}

function onEvent(type: string, object: KubernetesObject): void {
  if (type !== 'ADDED' && type !== 'MODIFIED') return;
  const name = object.metadata?.name;
  const index = exampleIndex(name);
  if (!name || index === undefined) return;
  const status = object.status as Record<string, unknown> | undefined;
  const round = (object.spec as { round?: number } | undefined)?.round;
  if (status?.create_fn === undefined) {
    enqueue(`${index}`, {
      name,
      index,
      status: { create_fn: { message: 'hello world' } },
      starts: handlerStarts,
    });
  } else if (round !== undefined && (status.update_fn as { round?: number } | undefined)?.round !== round) {
    enqueue(`${index}@${round}`, { name, index, status: { update_fn: { round } }, starts: updateStarts });
  }
}

function enqueue(key: string, job: Job): void {
  if (queued.has(key)) return;
  queued.add(key);
  queue.push(job);
  drain();
}

serveParent(
  { pid: process.pid },
  {
    start: async () => {
      const path = `/apis/${KOPF_EXAMPLES.group}/${KOPF_EXAMPLES.version}/namespaces/${NAMESPACE}/${KOPF_EXAMPLES.plural}`;
      controller = await new Watch(config).watch(path, {}, onEvent, (error) => {
        if (error && !controller?.signal.aborted) noteError(`watching: ${String(error)}`);
      });
      return { readyAt: epochMs() };
    },
    list: () => listAll(),
    report: () => ({
      handlerStarts: [...handlerStarts],
      updateStarts: [...updateStarts],
      errors,
      errorCount,
      memory: memoryReading(),
    }),
    stop: () => controller?.abort(),
  },
);
