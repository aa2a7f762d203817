import { on } from '@kopf/core';

on.create('kopfexamples', function create_fn({ spec, logger }) {
  logger.info(`Created with ${JSON.stringify(spec)}`);
});

on.update('kopfexamples', function update_fn({ old, new: fresh, diff, logger }) {
  logger.info(`Spec was ${JSON.stringify(old?.spec)}, is ${JSON.stringify(fresh?.spec)}`);
  for (const { operation, field, old: before, new: after } of diff) {
    logger.info(`${operation} ${field.join('.')}: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
  }
});

on.delete('kopfexamples', function delete_fn({ name, logger }) {
  logger.info(`${name} is going away; cleaning up what it owned outside Kubernetes.`);
});

on.resume('kopfexamples', function resume_fn({ name, logger }) {
  logger.info(`${name} existed before the operator started; re-attaching to it.`);
});

on.field('kopfexamples', { field: 'spec.field' }, function field_fn({ old, new: fresh, logger }) {
  logger.info(`FIELD CHANGED: ${String(old)} -> ${String(fresh)}`);
});

on.event('kopfexamples', function event_fn({ type, event, logger }) {
  // type is null for objects seen in the initial listing, then ADDED / MODIFIED / DELETED.
  logger.debug(`${type ?? 'LISTED'}: resourceVersion ${event.object.metadata?.resourceVersion}`);
});
