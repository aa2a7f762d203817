import { type Body, on, PermanentError, Registry, TemporaryError } from '@kopf/core';
import { type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CRD, OBJ } from './support.js';

let run: OperatorRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('error handling of the talk', () => {
  it('fails permanent errors once, retries temporary ones, and honours retries and errors modes', async () => {
    const registry = new Registry();
    const attempts: Record<string, number[]> = { permanent: [], temporary: [], retries: [], mode: [] };
    on.create('kopfexamples', { registry }, function create_permanent({ retry }) {
      attempts.permanent?.push(retry);
      throw new PermanentError('Fail once and for all.');
    });
    on.create('kopfexamples', { registry }, function create_temporary({ retry }) {
      attempts.temporary?.push(retry);
      if (retry < 3) throw new TemporaryError('Expected recoverable error.', { delay: 0.05 });
      return { finally: 'done' };
    });
    on.create(
      'kopfexamples',
      { registry, retries: 3, backoff: 0.05 },
      function create_with_retries({ retry }) {
        attempts.retries?.push(retry);
        throw new Error('An error that is not expected.');
      },
    );
    on.create('kopfexamples', { registry, errors: 'permanent' }, function create_permanent_mode({ retry }) {
      attempts.mode?.push(retry);
      throw new Error('Arbitrary error, failed at once.');
    });
    run = await runOperator({ registry, apply: CRD });
    await run.cluster.apply(OBJ);

    await run.waitForLog('Creation is processed: 1 succeeded; 3 failed.');
    expect(attempts).toEqual({ permanent: [0], temporary: [0, 1, 2, 3], retries: [0, 1, 2], mode: [0] });
    const lines = run.lines('info');
    expect(lines).toContain(
      "[default/kopf-example-1] Handler 'create_permanent' failed permanently: Fail once and for all.",
    );
    expect(lines).toContain(
      "[default/kopf-example-1] Handler 'create_temporary' failed temporarily: Expected recoverable error.",
    );
    expect(lines).toContain(
      "[default/kopf-example-1] Handler 'create_with_retries' failed with an exception and will stop now " +
        '(it would exceed 3 retries on the next attempt): An error that is not expected.',
    );
    expect(lines).toContain(
      "[default/kopf-example-1] Handler 'create_permanent_mode' failed with an exception and will stop now: " +
        'Arbitrary error, failed at once.',
    );
    const object = await run.cluster.waitFor<Body>(
      { resource: 'kex', name: 'kopf-example-1' },
      (o) =>
        o?.status?.create_temporary !== undefined &&
        !JSON.stringify(o?.metadata?.annotations).includes('create_'),
    );
    expect(object?.status?.create_temporary).toEqual({ finally: 'done' });
    // The cause is done: its progress records are purged from the object.
    const progress = Object.keys(object?.metadata?.annotations ?? {}).filter((k) => k.includes('create_'));
    expect(progress).toEqual([]);
  });
});
