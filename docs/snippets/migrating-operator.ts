import { on, PermanentError, TemporaryError } from '@kopf/core';

interface ExampleSpec {
  duration?: string;
  field?: string;
}

on.startup(function configure({ settings }) {
  settings.posting.level = 'warning';
  settings.execution.defaultBackoff = 30;
});

// The function's name is the handler id: keep Kopf's `create_fn`, so the progress and
// the result it left on the cluster (`status.create_fn`) are found again.
on.create<ExampleSpec>(
  'kopfexamples',
  { retries: 5, backoff: 10 },
  function create_fn({ spec, name, patch }) {
    if (!spec.duration) throw new PermanentError('spec.duration is required.');
    if (spec.field === 'later') throw new TemporaryError('Not now.', { delay: 30 });
    patch.metadata.labels.seen = 'yes';
    return { message: `${name} lasts ${spec.duration}` };
  },
);

on.field('kopfexamples', { field: 'spec.field' }, function field_fn({ old, new: fresh, logger }) {
  logger.info(`${String(old)} -> ${String(fresh)}`);
});

on.timer('kopfexamples', { interval: 60, initialDelay: 5 }, async function check({ stopped, logger }) {
  if (!stopped.aborted) logger.info('still there');
});
