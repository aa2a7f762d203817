import type { FailureFault, RequestInfo, UserInfo } from '@kopf/testing';
import { describe, expect, it } from 'vitest';
import { WriteFaultSampler } from './write-faults.js';

const OPERATOR: UserInfo = { username: 'chaos-operator', groups: ['system:authenticated'] };
const DRIVER: UserInfo = { username: 'admin', groups: ['system:masters'] };

function request(verb: string, subresource = ''): RequestInfo {
  return {
    kind: 'resource',
    verb: verb as 'patch',
    group: 'kopf.dev',
    version: 'v1',
    namespace: 'chaos',
    resource: 'kopfexamples',
    name: 'x',
    subresource,
  };
}

function sampler(): { sampler: WriteFaultSampler; asked: FailureFault[] } {
  const asked: FailureFault[] = [];
  return { sampler: new WriteFaultSampler(() => ({ failNext: (fault) => asked.push(fault) })), asked };
}

describe('WriteFaultSampler', () => {
  it('allows everything and fails nothing until started', () => {
    const { sampler: s, asked } = sampler();
    for (let i = 0; i < 100; i++) expect(s.authorize(OPERATOR, request('patch'))).toBe(true);
    expect(asked).toEqual([]);
    expect(s.counts().passed).toBe(0);
  });

  it("fails about the planned share of the user's writes, as 500 or 429, for the same verb and resource", () => {
    const { sampler: s, asked } = sampler();
    s.start({ ratio: 0.05, username: 'chaos-operator', seed: 'seed' });
    for (let i = 0; i < 2000; i++) s.authorize(OPERATOR, request('patch', i % 2 ? 'status' : ''));
    const counts = s.stop();
    const share = counts.failed / (counts.passed + counts.failed);
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.07);
    expect(asked).toHaveLength(counts.failed);
    expect(new Set(asked.map((fault) => fault.code))).toEqual(new Set([500, 429]));
    expect((counts.byCode['500'] ?? 0) + (counts.byCode['429'] ?? 0)).toBe(counts.failed);
    expect(asked.every((fault) => fault.verb === 'patch' && fault.count === 1)).toBe(true);
    expect(new Set(asked.map((fault) => fault.subresource))).toEqual(new Set(['', 'status']));
  });

  it("leaves other users' writes and everyone's reads alone, and stops when told", () => {
    const { sampler: s, asked } = sampler();
    s.start({ ratio: 0.5, username: 'chaos-operator', seed: 'seed' });
    for (let i = 0; i < 200; i++) {
      s.authorize(DRIVER, request('patch'));
      s.authorize(OPERATOR, request('get'));
      s.authorize(OPERATOR, request('watch'));
    }
    expect(asked).toEqual([]);
    s.stop();
    for (let i = 0; i < 200; i++) s.authorize(OPERATOR, request('create'));
    expect(asked).toEqual([]);
  });
});
