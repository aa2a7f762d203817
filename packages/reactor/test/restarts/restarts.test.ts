import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Body, on, Registry, TemporaryError } from '@kopf/core';
import { FakeApiServer, type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, EXAMPLE, eventually, OBJ, waitGone } from '../talk/support.js';

const PROGRESS = 'kopf.zalando.org/create_retrying';
let server: FakeApiServer | undefined;
let run: OperatorRun | undefined;
let child: ChildProcess | undefined;
let scratch: string | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  await run?.stop();
  await server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  run = server = child = scratch = undefined;
});

/** The same handlers as the fixture process, recording into `attempts`. */
function handlers(attempts: string[], succeedFrom: number): Registry {
  const registry = new Registry();
  on.create('kopfexamples', { registry }, function create_ok() {
    attempts.push('create_ok');
    return { ok: true };
  });
  on.create('kopfexamples', { registry }, function create_retrying({ retry }) {
    attempts.push(`create_retrying ${retry}`);
    if (retry < succeedFrom) throw new TemporaryError('not yet', { delay: 0.2 });
  });
  on.delete('kopfexamples', { registry }, function delete_fn() {
    attempts.push('delete_fn');
  });
  return registry;
}

async function retriesOnTheObject(run: OperatorRun): Promise<number> {
  const object = await run.cluster.get<Body>(EXAMPLE);
  const record = object?.metadata?.annotations?.[PROGRESS];
  return record ? (JSON.parse(record).retries as number) : -1;
}

describe('restarts', () => {
  it('resumes a retrying handler with its retry count after a graceful stop, without re-running successes', async () => {
    server = await FakeApiServer.start();
    const first: string[] = [];
    run = await runOperator({ registry: handlers(first, 100), server, apply: CRD });
    await run.cluster.apply(OBJ);
    const stopped = run;
    await eventually(async () => (await retriesOnTheObject(stopped)) >= 2, 'two retries are stored');
    await run.stop();
    const retriesBefore = first.filter((a) => a.startsWith('create_retrying')).length;

    const second: string[] = [];
    run = await runOperator({ registry: handlers(second, 0), server });
    await run.waitForLog('Creation is processed: 2 succeeded; 0 failed.');
    expect(first.filter((a) => a === 'create_ok')).toEqual(['create_ok']);
    expect(second).toEqual([`create_retrying ${retriesBefore}`]);

    await run.cluster.delete(EXAMPLE);
    await waitGone(run);
    expect(second).toEqual([`create_retrying ${retriesBefore}`, 'delete_fn']);
  });

  it('resumes after the operator process is killed, and the deletion completes', async () => {
    server = await FakeApiServer.start();
    scratch = mkdtempSync(join(tmpdir(), 'kopf-restart-'));
    const attemptsFile = join(scratch, 'attempts.txt');
    const setup = await runOperator({ registry: new Registry(), server, apply: [] });
    await setup.cluster.apply(CRD);
    await setup.stop();

    const fixture = new URL('./fixtures/retrying-operator.ts', import.meta.url).pathname;
    child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@kopf/source', fixture], {
      env: {
        ...process.env,
        ATTEMPTS_FILE: attemptsFile,
        KOPF_SERVER: server.url,
        KOPF_CA: server.caData,
        KOPF_TOKEN: server.token,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
    });
    await eventually(() => output.includes('started'), 'the child operator has started', 30);

    const second: string[] = [];
    run = await runOperator({ registry: new Registry(), server });
    await run.cluster.apply(OBJ);
    const watching = run;
    await eventually(
      async () => (await retriesOnTheObject(watching)) >= 2,
      'the killed operator stored retries',
    );
    child.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));
    const killedAttempts = readFileSync(attemptsFile, 'utf8').trim().split('\n');
    const storedRetries = await retriesOnTheObject(run);
    await run.stop();

    run = await runOperator({ registry: handlers(second, 0), server });
    await run.waitForLog('Creation is processed: 2 succeeded; 0 failed.');
    expect(killedAttempts.filter((a) => a === 'create_ok')).toEqual(['create_ok']);
    expect(second).toEqual([`create_retrying ${storedRetries}`]);

    await run.cluster.delete(EXAMPLE);
    await waitGone(run);
    expect(second.at(-1)).toBe('delete_fn');
  });
});
