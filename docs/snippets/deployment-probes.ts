import { on } from '@kopf/core';

declare module '@kopf/core' {
  interface Memo {
    queueDepth?: number;
  }
}

// Each probe's result appears in the liveness JSON under its id: {"queue_depth": 3, "now": "…"}.
on.probe(function queue_depth({ memo }) {
  return memo.queueDepth ?? 0;
});
on.probe({ id: 'now' }, () => new Date().toISOString());
