import { describe, expect, it } from 'vitest';
import type { Body } from './bodies.js';
import { type ChangingCauseInput, detectChangingCause } from './causes.js';
import type { Diff } from './diffs.js';
import type { Logger } from './loggers.js';
import { Patch } from './patches.js';
import type { Resource } from './resources.js';

const FINALIZER = 'kopf.zalando.org/KopfFinalizerMarker';
const resource = { group: 'kopf.dev', version: 'v1', plural: 'kopfexamples' } as Resource;
const logger = {} as Logger;
const change: Diff = [{ operation: 'change', field: ['spec', 'field'], old: 'a', new: 'b' }];

function input(overrides: Partial<ChangingCauseInput> & { body?: Body }): ChangingCauseInput {
  return {
    eventType: 'MODIFIED',
    finalizer: FINALIZER,
    resource,
    body: { metadata: { name: 'x' } },
    patch: new Patch(),
    logger,
    memo: {},
    indexes: {},
    initial: false,
    diff: [],
    old: { spec: {} },
    new: { spec: {} },
    ...overrides,
  };
}

const deleting = (finalizers: string[]): Body => ({
  metadata: { name: 'x', deletionTimestamp: '2024-01-01T00:00:00Z', finalizers },
});

describe('detectChangingCause', () => {
  it.each([
    ['gone', input({ eventType: 'DELETED', body: deleting([FINALIZER]) })],
    ['free', input({ body: deleting(['other']) })],
    ['delete', input({ body: deleting([FINALIZER]), old: undefined })],
    ['create', input({ old: undefined, diff: change })],
    ['resume', input({ initial: true })],
    ['noop', input({})],
    ['update', input({ diff: change, initial: true })],
  ])('detects %s', (reason, cause) => {
    expect(detectChangingCause(cause).reason).toBe(reason);
  });

  it('never mixes creation with resuming: a created object is not initial', () => {
    const cause = detectChangingCause(input({ old: undefined, initial: true, eventType: null }));
    expect([cause.reason, cause.initial]).toEqual(['create', false]);
  });

  it('keeps the cause fields and drops the detection inputs', () => {
    const cause = detectChangingCause(input({ diff: change }));
    expect(cause.diff).toBe(change);
    expect('finalizer' in cause || 'eventType' in cause).toBe(false);
  });
});
