/**
 * A fresh cluster for one benchmark scenario: a fake API server in its own process
 * (so every scenario starts from the same empty state), the `KopfExample` CRD
 * served, the `bench` namespace, and a keep-alive client for the benchmark's own
 * calls (creating objects, watching for results).
 */
import { createApiClient, type HttpClient } from '@kopf/k8s';
import { Cluster } from '@kopf/testing';
import { FakeServerProcess } from './fake-servers.js';
import { KOPF_EXAMPLES_CRD, NAMESPACE } from './kopf-examples.js';

/** A started cluster; `stop()` ends the server process. */
export interface BenchCluster {
  readonly server: FakeServerProcess;
  /** The benchmark's own client (not the measured actor's). */
  readonly client: HttpClient;
  stop(): Promise<void>;
}

/**
 * Starts a server whose watch history outlives every scenario (no 410 Gone for a
 * watcher that falls behind during a burst) and applies the CRD.
 */
export async function startBenchCluster(): Promise<BenchCluster> {
  const server = await FakeServerProcess.start({
    namespaces: [NAMESPACE],
    historySize: 200_000,
    bookmarkInterval: 60_000,
  });
  let client: HttpClient | undefined;
  try {
    client = await createApiClient({ connection: server.connection });
    await new Cluster(client).apply(KOPF_EXAMPLES_CRD);
  } catch (error) {
    client?.close();
    await server.stop();
    throw error;
  }
  const ready = client;
  return {
    server,
    client: ready,
    stop: async () => {
      ready.close();
      await server.stop();
    },
  };
}
