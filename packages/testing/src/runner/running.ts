/**
 * Running an operator in-process for a test (Kopf's `KopfRunner`, without a real
 * cluster): a fake API server (or a given one), an operator connected to it over
 * HTTPS with its logs captured, and a `Cluster` to apply objects and await their
 * state. `stop()` stops both and fails loudly if the operator hit errors outside of
 * handlers. No test-framework imports: works under any runner.
 */
import type { KubernetesObject } from '@kopf/core';
import { createApiClient, type HttpClient } from '@kopf/k8s';
import { type LogSink, MemorySink, Operator, type OperatorOptions, streamSink, teeSink } from '@kopf/reactor';
import { FakeApiServer } from '../fake-api-server/server.js';
import { Cluster } from './cluster.js';

/** Options of {@link runOperator}. */
export interface RunOperatorOptions extends Omit<OperatorOptions, 'client' | 'connection'> {
  /** The API server to run against; default: a fresh fake one, stopped with the run. */
  readonly server?: FakeApiServer;
  /** Objects or YAML to apply before the operator starts (e.g. the CRD). */
  readonly apply?: string | KubernetesObject | readonly KubernetesObject[];
  /** Also print the operator's logs to stderr (handy while writing a test). */
  readonly echo?: boolean;
  /** Seconds to wait for the operator to be ready; default 10. */
  readonly readyTimeout?: number;
}

/** An operator running against a (fake) API server. */
export class OperatorRun {
  readonly server: FakeApiServer;
  readonly operator: Operator;
  readonly cluster: Cluster;
  /** Every log record of the operator. */
  readonly logs: MemorySink;
  /** Errors outside of handlers (watchers, activities); `stop()` throws if there are any. */
  readonly errors: unknown[] = [];
  readonly #ownServer: boolean;
  readonly #client: HttpClient;

  constructor(parts: {
    server: FakeApiServer;
    operator: Operator;
    logs: MemorySink;
    client: HttpClient;
    ownServer: boolean;
  }) {
    this.server = parts.server;
    this.operator = parts.operator;
    this.logs = parts.logs;
    this.#client = parts.client;
    this.#ownServer = parts.ownServer;
    this.cluster = new Cluster(parts.client);
    this.operator.on('error', (error) => this.errors.push(error));
  }

  /** The operator's log lines (prefixed with `[namespace/name]`), at or above a level. */
  lines(level: 'debug' | 'info' | 'warning' | 'error' = 'info'): string[] {
    return this.logs.lines(level);
  }

  /**
   * Resolves once a log line containing `text` has been written (polling).
   *
   * @throws Error naming the text and the last lines when it does not appear in time.
   */
  async waitForLog(text: string | RegExp, timeout = 10): Promise<string> {
    const deadline = Date.now() + timeout * 1000;
    for (;;) {
      const line = this.lines('debug').find((l) =>
        typeof text === 'string' ? l.includes(text) : text.test(l),
      );
      if (line !== undefined) return line;
      if (Date.now() > deadline) {
        const tail = this.lines('debug').slice(-10).join('\n  ');
        throw new Error(
          `No log line matched ${String(text)} within ${timeout} s. The last lines:\n  ${tail}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /**
   * Stops the operator (gracefully), then the server if the run started it.
   *
   * @throws AggregateError when the operator failed outside of its handlers.
   */
  async stop(): Promise<void> {
    try {
      await this.operator.stop();
    } finally {
      this.#client.close();
      if (this.#ownServer) await this.server.stop();
    }
    if (this.errors.length > 0) {
      throw new AggregateError(
        this.errors,
        `The operator failed ${this.errors.length} time(s) outside of handlers.`,
      );
    }
  }
}

/**
 * Starts a fake API server (unless given one), applies `apply`, and runs an
 * operator against it; resolves once the operator is ready.
 *
 * @example
 * const run = await runOperator({ registry, apply: 'examples/crd.yaml' });
 * await run.cluster.apply('examples/obj.yaml');
 * await run.cluster.waitFor({ resource: 'kex', name: 'kopf-example-1' }, (o) => o?.status?.create_fn !== undefined);
 * await run.stop();
 */
export async function runOperator(options: RunOperatorOptions = {}): Promise<OperatorRun> {
  const server = options.server ?? (await FakeApiServer.start());
  const connection = { server: server.url, caData: server.caData, token: server.token };
  const client = await createApiClient({ connection });
  const logs = new MemorySink();
  const sinks: LogSink[] = [logs, ...(options.logs ? [options.logs] : [])];
  if (options.echo) sinks.push(streamSink({ level: 'debug' }));
  try {
    if (options.apply) await new Cluster(client).apply(options.apply);
    const operator = new Operator({ ...options, client, logs: teeSink(...sinks) });
    const run = new OperatorRun({ server, operator, logs, client, ownServer: !options.server });
    await operator.start();
    await withTimeout(operator.ready, (options.readyTimeout ?? 10) * 1000, 'The operator was not ready');
    return run;
  } catch (error) {
    client.close();
    if (!options.server) await server.stop();
    throw error;
  }
}

async function withTimeout(promise: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s.`)), ms);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
