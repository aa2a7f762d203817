/**
 * Kubernetes Events about the handled object (Kopf's example 04): `event()`,
 * `info()`, `warn()` and `exception()`; see them with `kubectl describe`.
 */
import { event, exception, info, on, warn } from '@kopf/core';

on.resume('kopfexamples', function resume_fn({ body }) {
  info(body, { reason: 'Resumed', message: 'The operator has seen this object again.' });
});

on.create('kopfexamples', function create_fn({ body }) {
  event(body, { type: 'Normal', reason: 'SomeReason', message: 'Some message' });
  info(body, { reason: 'SomeReason', message: 'Some information' });
  warn(body, { reason: 'SomeReason', message: 'Some warning' });
  try {
    throw new RangeError('Something went wrong, but it is handled.');
  } catch (error) {
    exception(body, { reason: 'SomeReason', message: 'Handled:', error });
  }
});
