/**
 * Error handling (Kopf's example 03 and the talk): a permanent failure, a temporary
 * error retried with a delay, an arbitrary error with limited retries, and an
 * arbitrary error that fails at once in the permanent errors mode.
 */
import { on, PermanentError, TemporaryError } from '@kopf/core';

on.create('kopfexamples', function create_permanent() {
  throw new PermanentError('Fail once and for all.');
});

on.create('kopfexamples', function create_temporary({ retry }) {
  if (retry < 3) throw new TemporaryError('Expected recoverable error.', { delay: 1 });
  return { message: `Succeeded after ${retry} retries.` };
});

on.create('kopfexamples', { retries: 3, backoff: 1 }, function create_with_retries() {
  throw new Error('An error that is not expected.');
});

on.create('kopfexamples', { errors: 'permanent' }, function create_permanent_mode() {
  throw new Error('Arbitrary error, failed at once.');
});
