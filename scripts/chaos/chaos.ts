/**
 * `npm run chaos`: an operator under faults loses no work. A fake API server runs
 * in its own process; the chaos operator (`operator-process.ts`) in another, killed
 * with SIGKILL and restarted at planned moments; meanwhile objects are created,
 * updated and deleted, every watch stream is cut again and again, the watch history
 * is compacted (410 Gone), and 5% of the operator's writes answer 500 or 429. Then
 * the faults stop, the run waits until everything is handled, stops the operator,
 * and judges the side stores, the processes and the server's objects
 * (`verification.ts`). Exits 1 when any check fails, 2 when the run itself failed.
 *
 *   npm run chaos                       # full size, fresh seed (printed)
 *   npm run chaos -- --size small       # as in `npm test`
 *   CHAOS_SEED=1a2b3c4d npm run chaos   # the same plan again
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject } from '@kopf/core';
import { createApiClient, type HttpClient, listObjects } from '@kopf/k8s';
import { Cluster } from '@kopf/testing';
import { FakeServerProcess } from '../bench/fake-servers.js';
import { KOPF_EXAMPLES, KOPF_EXAMPLES_CRD } from '../bench/kopf-examples.js';
import { NAMESPACE } from './chaos-objects.js';
import { runFaults } from './faulting.js';
import { planChaos } from './plans.js';
import { Randomness } from './randomness.js';
import { formatReport } from './reporting.js';
import { unsettled } from './settling.js';
import { readSideStores } from './side-store.js';
import { type ChaosArguments, parseChaosArguments } from './sizes.js';
import { OperatorSupervisor } from './supervising.js';
import { type ProcessRecord, verifyChaos } from './verification.js';
import { runWorkload } from './workload.js';

const OPERATOR_USER = 'chaos-operator';

async function main(args: ChaosArguments): Promise<number> {
  const began = Date.now();
  const random = new Randomness(args.seed);
  const plan = planChaos(random, args.size);
  const dir = mkdtempSync(join(tmpdir(), 'kopf-chaos-'));
  const storeDir = join(dir, 'store');
  mkdirSync(storeDir);
  console.log(`Chaos run (${args.sizeName}), seed ${args.seed}; files in ${dir}`);

  const operatorToken = randomBytes(16).toString('hex');
  const server = await FakeServerProcess.start({
    namespaces: [NAMESPACE],
    users: { [operatorToken]: OPERATOR_USER },
  });
  let client: HttpClient | undefined;
  const supervisor = new OperatorSupervisor(dir, {
    connection: { ...server.connection, token: operatorToken },
    storeDir,
    seed: args.seed,
    handlerFailureRatio: args.size.handlerFailureRatio,
    verbose: args.verbose,
  });
  try {
    client = await createApiClient({ connection: server.connection });
    await new Cluster(client).apply(KOPF_EXAMPLES_CRD);
    await supervisor.start();
    await server.failWrites({ ratio: args.size.writeFailureRatio, username: OPERATOR_USER, seed: args.seed });
    const start = Date.now() + 200;
    const [outcomes, faults] = await Promise.all([
      runWorkload(client, plan, start),
      runFaults({ server, supervisor, client }, plan, start),
    ]);
    const writeFaults = await server.stopFaults();
    const faultsEnded = Date.now();
    const settledAfter = await settle(client, outcomes, args.size.settleSeconds);
    await supervisor.stop();
    const finalObjects = await listChaosObjects(client);
    console.log(`Settled: ${settledAfter === undefined ? 'no' : 'yes'}; verifying.`);

    const { records, torn } = readSideStores(storeDir);
    const processes: ProcessRecord[] = supervisor.lives.map((life) => ({
      index: life.index,
      pid: life.pid,
      killedAt: life.killedAt,
      stoppedAt: life.stoppedAt,
      exit: life.exit,
      startError: life.startError,
      stderr: readFileSync(life.stderrPath, 'utf8'),
    }));
    const verdict = verifyChaos({
      outcomes,
      records,
      processes,
      finalObjects,
      compactions: faults.compactions,
    });
    const facts = {
      seed: args.seed,
      sizeName: args.sizeName,
      updates: plan.objects.reduce((sum, object) => sum + object.updates.length, 0),
      faults,
      writeFaults,
      settledAfter: settledAfter === undefined ? undefined : (settledAfter - faultsEnded) / 1000,
      seconds: (Date.now() - began) / 1000,
    };
    for (const line of formatReport(facts, verdict)) console.log(line);
    if (torn > 0) console.log(`(${torn} side-store lines were torn by kills and skipped)`);
    if (args.output) writeFileSync(args.output, `${JSON.stringify({ facts, verdict }, null, 2)}\n`);
    const passed = verdict.violations.length === 0;
    if (passed && !args.keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`The run's side stores and operator logs: ${dir}`);
    return passed ? 0 : 1;
  } finally {
    await supervisor.stop().catch(() => undefined);
    client?.close();
    await server.stop();
  }
}

/** Waits until every object has settled; resolves to when (ms since the epoch), or `undefined` on timeout. */
async function settle(
  client: HttpClient,
  outcomes: Parameters<typeof unsettled>[0],
  seconds: number,
): Promise<number | undefined> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const waiting = unsettled(outcomes, await listChaosObjects(client));
    if (waiting.size === 0) return Date.now();
    if (Date.now() > deadline) {
      const sample = [...waiting].slice(0, 10).map(([name, why]) => `${name} (${why})`);
      console.log(`Not settled after ${seconds} s: ${waiting.size} objects, e.g. ${sample.join(', ')}`);
      return undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function listChaosObjects(client: HttpClient): Promise<Map<string, KubernetesObject>> {
  const list = await listObjects<KubernetesObject>(client, KOPF_EXAMPLES, { namespace: NAMESPACE });
  return new Map(list.items.map((item) => [item.metadata?.name ?? '', item]));
}

try {
  process.exitCode = await main(parseChaosArguments(process.argv.slice(2), process.env));
} catch (error) {
  console.error('The chaos run failed to run:', error);
  process.exitCode = 2;
}
