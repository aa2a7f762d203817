import { allOf, anyOf, type ChangingCauseKwargs, noneOf, not, on, type ResourceKwargs } from '@kopf/core';

// `when` runs last, only if the other filters matched, with the cause's kwargs.
on.update('kopfexamples', { when: ({ spec }) => spec.paused !== true }, function unpaused({ logger }) {
  logger.info('Not paused.');
});

// Combinators: annotate callbacks nested in them, TypeScript cannot infer their kwargs there.
const isPaused = ({ spec }: ChangingCauseKwargs) => spec.paused === true;
const isProduction = ({ namespace }: ChangingCauseKwargs) => namespace === 'production';
const isLarge = ({ spec }: ChangingCauseKwargs) => Number(spec.size) > 100;

on.update('kopfexamples', { when: not(isPaused) }, function when_not_paused() {});
on.update('kopfexamples', { when: allOf([isProduction, isLarge]) }, function large_in_production() {});
on.update('kopfexamples', { when: anyOf([isProduction, isLarge]) }, function production_or_large() {});
on.update('kopfexamples', { when: noneOf([isPaused, isProduction]) }, function neither() {});

// Combinators work for label, annotation and value callbacks too.
const oneOf =
  (...allowed: string[]) =>
  (value: string | undefined) =>
    value !== undefined && allowed.includes(value);
on.event('pods', { labels: { tier: anyOf([oneOf('web'), oneOf('api')]) } }, function web_or_api() {});

// Timers, daemons and indexes get the object's kwargs, typed as ResourceKwargs.
const enabled = ({ spec }: ResourceKwargs) => spec.enabled === true;
on.timer('kopfexamples', { interval: 30, when: enabled }, function tick_if_enabled() {});
