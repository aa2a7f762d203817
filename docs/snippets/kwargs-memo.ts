import { on } from '@kopf/core';

// Type your memo fields once, for every handler.
declare module '@kopf/core' {
  interface Memo {
    tenant?: string;
    seenGenerations?: number[];
  }
}

// Activities get the operator-wide memo.
on.startup(({ memo }) => {
  memo.tenant = process.env.TENANT ?? 'default';
});

// Each object gets a shallow copy of it, kept for the object's lifetime in this process.
on.resume('kopfexamples', ({ memo, meta, logger }) => {
  memo.seenGenerations = [...(memo.seenGenerations ?? []), meta.generation ?? 0];
  logger.info(`tenant ${memo.tenant}; generations seen: ${memo.seenGenerations.join(', ')}`);
});
on.update('kopfexamples', ({ memo, meta }) => {
  memo.seenGenerations = [...(memo.seenGenerations ?? []), meta.generation ?? 0];
});
