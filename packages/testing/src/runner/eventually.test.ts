import { describe, expect, it } from 'vitest';
import { eventually } from './eventually.js';

describe('eventually', () => {
  it('resolves with the first truthy value, retrying errors', async () => {
    let calls = 0;
    const value = await eventually(() => {
      calls += 1;
      if (calls < 3) throw new Error('not yet');
      return calls === 4 ? 'done' : undefined;
    });
    expect([value, calls]).toEqual(['done', 4]);
  });

  it('names what was awaited and the last error when it times out', async () => {
    const waiting = eventually(
      () => {
        throw new Error('still missing');
      },
      { timeout: 0.05, what: 'the object' },
    );
    await expect(waiting).rejects.toThrow(
      'Timed out after 0.05 s waiting for the object; the last check failed with: still missing.',
    );
  });
});
