import { describe, expect, it } from 'vitest';
import { currentHandlerContext, runInHandlerContext } from './contexts.js';
import { defaultSettings } from './settings.js';

describe('runInHandlerContext', () => {
  it('merges nested contexts, follows awaits, and ends with the call', async () => {
    const settings = defaultSettings();
    const body = { metadata: { name: 'x' } };
    const seen = await runInHandlerContext({ settings }, () =>
      runInHandlerContext({ body }, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return currentHandlerContext();
      }),
    );
    expect(seen).toEqual({ settings, body });
    expect(currentHandlerContext()).toBeUndefined();
  });

  it('keeps concurrent handlers apart', async () => {
    const names = await Promise.all(
      ['a', 'b'].map((name) =>
        runInHandlerContext({ body: { metadata: { name } } }, async () => {
          await new Promise((resolve) => setImmediate(resolve));
          return currentHandlerContext()?.body?.metadata?.name;
        }),
      ),
    );
    expect(names).toEqual(['a', 'b']);
  });
});
