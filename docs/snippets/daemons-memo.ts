import { on } from '@kopf/core';

declare module '@kopf/core' {
  interface Memo {
    connections?: number;
  }
}

// A daemon that ends on its own is not restarted for that object until the operator restarts.
on.daemon('kopfexamples', async function warm_up({ memo, logger }) {
  memo.connections = 0;
  for (let i = 0; i < 3; i++) memo.connections += 1; // the object's memo, shared with its other handlers
  logger.info('Warmed up; this daemon is done.');
  return { connections: memo.connections }; // status.warm_up, stored when it returns
});

// A failing daemon is retried after `backoff` seconds (60 by default).
on.daemon('kopfexamples', { backoff: 15, retries: 10 }, async function keep_trying({ retry, stopped }) {
  if (retry < 3) throw new Error(`attempt ${retry} failed`);
  await stopped.wait();
});
