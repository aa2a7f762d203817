import { describe, expect, it } from 'vitest';
import { copyMemo } from './ephemera.js';

describe('copyMemo', () => {
  it('copies shallowly: own fields are separate, shared values are the same', () => {
    const shared = { connections: 1 };
    const memo: Record<string, unknown> = { shared, counter: 1 };
    const copy = copyMemo(memo);
    copy.counter = 2;
    expect([memo.counter, copy.shared === shared]).toEqual([1, true]);
  });

  it('keeps the prototype of a custom memo class', () => {
    class MyMemo {
      items: string[] = [];
      count(): number {
        return this.items.length;
      }
    }
    const memo = new MyMemo();
    memo.items.push('a');
    const copy = copyMemo(memo);
    expect([copy instanceof MyMemo, copy.count()]).toEqual([true, 1]);
  });
});
