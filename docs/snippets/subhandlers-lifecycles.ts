import {
  execute,
  type Lifecycle,
  lifecycles,
  on,
  oneByOne,
  type SubhandlerFn,
  setDefaultLifecycle,
} from '@kopf/core';

// Every due handler of an object in one cycle, in registration order (the default is asap).
setDefaultLifecycle(lifecycles.allAtOnce);

// A lifecycle of your own: the due handlers, most retried last, at most two per cycle.
const twoFreshestFirst: Lifecycle = (handlers, { state }) =>
  [...handlers].sort((a, b) => (state.get(a.id)?.retries ?? 0) - (state.get(b.id)?.retries ?? 0)).slice(0, 2);

const steps: SubhandlerFn[] = [
  function step_one({ logger }) {
    logger.info('one');
  },
  function step_two({ logger }) {
    logger.info('two');
  },
];

on.create('kopfexamples', async function ordered() {
  await execute({ fns: steps, lifecycle: oneByOne }); // ids ordered/step_one, ordered/step_two
});
on.update('kopfexamples', async function pairs() {
  await execute({ fns: steps, lifecycle: twoFreshestFirst });
});
