import { type DelayFn, on } from '@kopf/core';

// Only once the object has not changed for 60 s; then every 30 s while it stays unchanged.
on.timer('kopfexamples', { idle: 60, interval: 30 }, function settle({ logger }) {
  logger.info('Quiet for a minute: reconciling.');
});

// Once per quiet spell: after 5 minutes without changes, then not again until the next change.
on.timer('kopfexamples', { idle: 300 }, function summarize({ spec }) {
  return { summary: `${Object.keys(spec).length} fields` };
});

// A fixed rhythm: a run every 60 s counted from start to start, however long each run takes.
on.timer('kopfexamples', { interval: 60, sharp: true }, async function sample() {
  await new Promise((resolve) => setTimeout(resolve, 5_000));
});

// Not before 30 s after the object is seen; a function may compute the delay per object.
const spread: DelayFn = ({ name }) => ((name ?? '').length % 10) * 6;
on.timer('kopfexamples', { interval: 60, initialDelay: spread }, function staggered() {});
on.timer('kopfexamples', { interval: 60, initialDelay: 30 }, function delayed() {});

// Neither interval nor idle: once per object (and again after an operator restart).
on.timer('kopfexamples', {}, function once({ logger }) {
  logger.info('Seen once in this process.');
});

// Filters decide whether the timer exists: it stops when spec.monitor is unset, and starts again.
on.timer('kopfexamples', { interval: 5, field: 'spec.monitor', value: true }, function monitor() {});
