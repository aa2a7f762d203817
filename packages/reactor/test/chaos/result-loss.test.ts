/**
 * Found by the chaos run: a handler's result was lost for good when the operator
 * died between the two patches of a cycle. The main merge patch (the diff-base:
 * "handled") went before the `/status` patch that carries the result, so a kill in
 * between left the object marked as handled and `status.<handler>` never appeared.
 * Now `/status` goes first. Here the fake server fails every `/status` patch (the
 * client keeps retrying), the object must not be marked as handled meanwhile, and
 * after a kill the next operator runs the handler and stores its result.
 */
import type { Body } from '@kopf/core';
import { on, Registry } from '@kopf/core';
import { FakeApiServer, type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, startFixture } from '../support/processes.js';
import { CRD, EXAMPLE, eventually, OBJ } from '../talk/support.js';
import { DIFF_BASE } from './bad-input-support.js';

let server: FakeApiServer | undefined;
let fixture: Fixture | undefined;
let run: OperatorRun | undefined;
afterEach(async () => {
  fixture?.child.kill('SIGKILL');
  await run?.stop();
  await server?.stop();
  server = fixture = run = undefined;
});

describe('a kill between the main patch and the status patch', () => {
  it('does not lose the handler result: it is stored by this operator or the next one', async () => {
    server = await FakeApiServer.start();
    const setup = await runOperator({ registry: new Registry(), server, apply: CRD });
    fixture = startFixture(new URL('./fixtures/results-operator.ts', import.meta.url).pathname, server);
    await fixture.waitFor('started', 60);
    server.faults.failNext({ verb: 'patch', subresource: 'status', code: 500, count: 1000 });
    await setup.cluster.apply(OBJ);
    const cluster = setup.cluster;
    await eventually(
      () => (server?.counters.get({ verb: 'patch', subresource: 'status' }) ?? 0) > 0,
      'the killed operator tried to store the result',
      30,
    );
    const marked = await cluster.get<Body>(EXAMPLE);
    expect(marked?.metadata?.annotations?.[DIFF_BASE]).toBeUndefined();
    fixture.child.kill('SIGKILL');
    await fixture.exited(10);
    server.faults.reset();
    await setup.stop();

    const registry = new Registry();
    on.create('kopfexamples', { registry }, function create_fn() {
      return { message: 'created' };
    });
    run = await runOperator({ registry, server });
    await run.cluster.waitFor<Body>(EXAMPLE, (object) => object?.status?.create_fn !== undefined, {
      description: 'the result in status.create_fn',
      timeout: 15,
    });
    expect((await run.cluster.get<Body>(EXAMPLE))?.status?.create_fn).toEqual({ message: 'created' });
  });
});
