import { ErrorsMode, on, PermanentError, TemporaryError } from '@kopf/core';

// Fail for good: no retries; the other handlers of the change go on.
on.create('kopfexamples', function create_permanent({ spec }) {
  if (typeof spec.size !== 'number') throw new PermanentError('spec.size must be a number.');
  return { size: spec.size };
});

// Expected to pass: retried after `delay` seconds (60 by default), with `retry` incremented.
on.create('kopfexamples', function create_temporary({ retry }) {
  if (retry < 3) throw new TemporaryError('Expected recoverable error.', { delay: 10 });
  return { message: `Succeeded after ${retry} retries.` };
});

// Any other error follows the handler's `errors` mode: retried after `backoff` by default ...
on.create('kopfexamples', { retries: 3, backoff: 5 }, function create_with_retries() {
  throw new Error('An error that is not expected.');
});

// ... failed at once in the permanent mode ...
on.create('kopfexamples', { errors: ErrorsMode.PERMANENT }, function create_permanent_mode() {
  throw new Error('Arbitrary error, failed at once.');
});

// ... or logged and counted as done in the ignored mode.
on.create('kopfexamples', { errors: ErrorsMode.IGNORED }, function create_best_effort() {
  throw new Error('Nobody minds.');
});
