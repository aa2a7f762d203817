import { describe, expect, it } from 'vitest';
import { finalValue, planChaos } from './plans.js';
import { Randomness } from './randomness.js';
import { SIZES } from './sizes.js';

describe('planChaos', () => {
  it('plans the same run from the same seed, another from another', () => {
    const one = planChaos(new Randomness('seed'), SIZES.small);
    expect(planChaos(new Randomness('seed'), SIZES.small)).toEqual(one);
    expect(planChaos(new Randomness('other'), SIZES.small)).not.toEqual(one);
  });

  it('orders every object: creation, growing updates, then perhaps deletion, all within the window', () => {
    const plan = planChaos(new Randomness('order'), SIZES.full);
    expect(plan.objects).toHaveLength(SIZES.full.objects);
    for (const object of plan.objects) {
      let previous = object.createAt;
      object.updates.forEach((update, n) => {
        expect(update.at).toBeGreaterThanOrEqual(previous);
        expect(update.value).toBe(n + 2);
        previous = update.at;
      });
      if (object.deleteAt !== undefined) expect(object.deleteAt).toBeGreaterThan(previous);
      expect(object.deleteAt ?? previous).toBeLessThanOrEqual(plan.windowMs);
      expect(finalValue(object)).toBe(object.updates.length + 1);
    }
    const deleted = plan.objects.filter((object) => object.deleteAt !== undefined).length;
    expect(deleted / plan.objects.length).toBeGreaterThan(0.3);
    expect(deleted / plan.objects.length).toBeLessThan(0.5);
  });

  it('spreads the asked number of faults of each kind over the window, in time order', () => {
    const plan = planChaos(new Randomness('faults'), SIZES.full);
    const count = (kind: string) => plan.faults.filter((fault) => fault.kind === kind).length;
    expect([count('kill'), count('drop'), count('compact')]).toEqual([
      SIZES.full.kills,
      SIZES.full.drops,
      SIZES.full.compactions,
    ]);
    const times = plan.faults.map((fault) => fault.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const kills = plan.faults.filter((fault) => fault.kind === 'kill').map((fault) => fault.at);
    expect(kills[0]).toBeGreaterThanOrEqual(plan.windowMs * 0.1);
    expect(kills.at(-1)).toBeLessThanOrEqual(plan.windowMs * 0.9);
  });

  it('keeps compactions clear of the kills, and cuts their streams cleanly', () => {
    for (const seed of ['a', 'b', 'c', 'd']) {
      const plan = planChaos(new Randomness(seed), SIZES.full);
      const kills = plan.faults.filter((fault) => fault.kind === 'kill').map((fault) => fault.at);
      for (const compaction of plan.faults.filter((fault) => fault.kind === 'compact')) {
        expect(compaction.abrupt).toBe(false);
        for (const kill of kills)
          expect(compaction.at < kill - 1000 || compaction.at > kill + 3000).toBe(true);
      }
    }
  });
});
