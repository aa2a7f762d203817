import { ErrorsMode, on, Registry } from '@kopf/core';

// Behaviour options (all durations in seconds).
on.create(
  'kopfexamples',
  { id: 'provision', retries: 5, timeout: 600, backoff: 15, errors: ErrorsMode.TEMPORARY },
  async ({ spec, retry }) => {
    if (retry < 2 && !spec.ready) throw new Error('not ready yet'); // retried in 15 s
    return { provisioned: true };
  },
);

// `param` lets one function serve several registrations.
function greet({ param, name }: { param: unknown; name: string | undefined }) {
  return { greeting: `${String(param)}, ${name}` };
}
on.create('kopfexamples', { id: 'hello', param: 'Hello' }, greet);
on.resume('kopfexamples', { id: 'welcomeBack', param: 'Welcome back' }, greet);

// Deletion without a finalizer: nothing holds the object, so this may be missed.
on.delete('kopfexamples', { optional: true }, function forget({ name, logger }) {
  logger.info(`Forgetting ${name}.`);
});

// Resume handlers skip objects being deleted, unless asked.
on.resume('kopfexamples', { deleted: true }, function reattach({ logger }) {
  logger.info('Re-attaching, even if the object is being deleted.');
});

// on.* returns the registered record; a registry of your own keeps handlers apart.
const registry = new Registry();
const handler = on.update('kopfexamples', { registry }, function audit({ diff }) {
  console.log(diff);
});
console.log(handler.id, handler.kind, handler.requiresFinalizer); // audit update false
registry.remove(handler);
