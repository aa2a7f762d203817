/**
 * The memory regression check (kube-rs keeps one too): the operator's V8 heap after
 * full garbage collection, with 10,000 watched objects, must stay within 110% of the
 * committed `baseline.json`. Heap is measured, not time: memory is steady where time
 * is not. The objects are created already handled (with their diff-base), so the
 * operator lists and resumes them without writing; the heap is read once the
 * per-object workers have gone idle and exited, i.e. in the steady state of a
 * long-running operator. The operator runs in its own process (`heap-probe.ts`,
 * with `--expose-gc`); an operator over an empty namespace is measured too, so a
 * failure tells whether the fixed part or the per-object part grew.
 *
 * To accept a change deliberately (say why in the commit):
 *
 *   KOPF_UPDATE_HEAP_BASELINE=1 npx vitest run packages/reactor/test/memory
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KubernetesObject } from '@kopf/core';
import { createApiClient, createObject, type HttpClient } from '@kopf/k8s';
import { buildEssence, dumpKopfJson } from '@kopf/reactor';
import { Cluster, FakeApiServer } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD } from '../talk/support.js';

const OBJECTS = 10_000;
const LIMIT = 1.1;
const PROBE = fileURLToPath(new URL('./heap-probe.ts', import.meta.url));
const BASELINE = fileURLToPath(new URL('./baseline.json', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const RESOURCE = { group: 'kopf.dev', version: 'v1', plural: 'kopfexamples', namespaced: true } as const;

/** The committed figures. */
interface Baseline {
  readonly objects: number;
  readonly heapUsedBytes: number;
  readonly emptyHeapUsedBytes: number;
  readonly bytesPerObject: number;
  readonly node: string;
  readonly recorded: string;
  readonly update: string;
}

interface ProbeResult {
  readonly seen: number;
  readonly heapUsed: number;
  readonly rss: number;
}

let server: FakeApiServer | undefined;
let client: HttpClient | undefined;
afterEach(async () => {
  client?.close();
  await server?.stop();
  client = server = undefined;
});

/** An object as an operator leaves it after its creation handlers: with the diff-base. */
function handledObject(index: number): KubernetesObject {
  const body: KubernetesObject = {
    apiVersion: 'kopf.dev/v1',
    kind: 'KopfExample',
    metadata: { name: `example-${index}`, namespace: 'bench', labels: { app: 'bench' } },
    spec: { index, duration: '1m', field: 'value', items: ['item1', 'item2'] },
  };
  const essence = `${dumpKopfJson(buildEssence(body))}\n`;
  const annotations = { 'kopf.zalando.org/last-handled-configuration': essence };
  return { ...body, metadata: { ...body.metadata, annotations } };
}

async function createHandledObjects(api: HttpClient, count: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await createObject(api, RESOURCE, handledObject(next++));
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** Runs the probe in a fresh process; resolves with its one line of figures. */
function probe(target: FakeApiServer, namespace: string, objects: number): Promise<ProbeResult> {
  const connection = { server: target.url, caData: target.caData, token: target.token };
  const args = ['--expose-gc', '--conditions=@kopf/source', '--import', 'tsx', PROBE];
  const child = spawn(process.execPath, [...args, JSON.stringify({ connection, namespace, objects })], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as ProbeResult);
      else
        reject(new Error(`The heap probe (${objects} objects) exited with ${code}:\n${stderr.slice(-2000)}`));
    });
  });
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe('the operator heap with 10,000 watched objects', () => {
  it('stays within 110% of the committed baseline', { timeout: 180_000 }, async () => {
    server = await FakeApiServer.start({ namespaces: ['bench', 'empty'], bookmarkInterval: 60_000 });
    client = await createApiClient({
      connection: { server: server.url, caData: server.caData, token: server.token },
    });
    await new Cluster(client).apply(CRD);
    await createHandledObjects(client, OBJECTS);

    const empty = await probe(server, 'empty', 0);
    const full = await probe(server, 'bench', OBJECTS);
    expect(full.seen).toBe(OBJECTS);
    const measured: Baseline = {
      objects: OBJECTS,
      heapUsedBytes: full.heapUsed,
      emptyHeapUsedBytes: empty.heapUsed,
      bytesPerObject: Math.round((full.heapUsed - empty.heapUsed) / OBJECTS),
      node: process.version,
      recorded: new Date().toISOString().slice(0, 10),
      update: 'KOPF_UPDATE_HEAP_BASELINE=1 npx vitest run packages/reactor/test/memory',
    };
    console.log(
      `heap after GC: ${mb(full.heapUsed)} with ${OBJECTS} objects, ${mb(empty.heapUsed)} with none ` +
        `(${measured.bytesPerObject} bytes per object)`,
    );
    if (process.env.KOPF_UPDATE_HEAP_BASELINE)
      writeFileSync(BASELINE, `${JSON.stringify(measured, null, 2)}\n`);

    const baseline = JSON.parse(readFileSync(BASELINE, 'utf8')) as Baseline;
    const message =
      `The heap after GC with ${OBJECTS} watched objects is ${mb(full.heapUsed)} ` +
      `(${mb(empty.heapUsed)} with none, ${measured.bytesPerObject} bytes per object); the baseline is ` +
      `${mb(baseline.heapUsedBytes)} (${mb(baseline.emptyHeapUsedBytes)} with none, ${baseline.bytesPerObject} ` +
      `bytes per object, ${baseline.node}), and the limit is ${Math.round(LIMIT * 100)}% of it. If the growth is intended, ` +
      `update the baseline with \`${measured.update}\` and commit baseline.json saying why.`;
    expect(full.heapUsed, message).toBeLessThanOrEqual(baseline.heapUsedBytes * LIMIT);
  });
});
