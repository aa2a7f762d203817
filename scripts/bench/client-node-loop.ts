/**
 * The baseline of the operator benchmarks: what the same work costs without any
 * framework. A hand-written loop over `@kubernetes/client-node` 1.4.0, alone in its
 * process like the operator: one watch of the objects, and for each new object
 * without a result, one merge-patch of `status.create_fn` (the value the operator's
 * create handler returns), at most 32 in flight, a failed one retried (client-node
 * opens a connection per request, which a burst can exhaust). No finalizer, no
 * diff-base, no progress: the floor for this server with this client library.
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
/** Objects seen and queued for their patch. */
const queued = new Set<number>();
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
const queue: string[] = [];
let inFlight = 0;

async function storeResult(name: string): Promise<void> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      await api.patchNamespacedCustomObjectStatus(
        {
          group: KOPF_EXAMPLES.group,
          version: KOPF_EXAMPLES.version,
          plural: KOPF_EXAMPLES.plural,
          namespace: NAMESPACE,
          name,
          body: { status: { create_fn: { message: 'hello world' } } },
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
    const name = queue.shift() as string;
    inFlight += 1;
    handlerStarts.set(exampleIndex(name) as number, epochMs());
    void storeResult(name).finally(() => {
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
  const status = object.status as Record<string, unknown> | undefined;
  if (!name || index === undefined || queued.has(index) || status?.create_fn !== undefined) return;
  queued.add(index);
  queue.push(name);
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
    report: () => ({ handlerStarts: [...handlerStarts], errors, errorCount, memory: memoryReading() }),
    stop: () => controller?.abort(),
  },
);
