/**
 * Several handlers of each kind (Kopf's example 05 and the talk's change
 * detection): two create handlers, an update handler with `old`/`new`/`diff`, a
 * field handler on `spec.field`, a resume and a delete handler.
 */
import { on } from '@kopf/core';

on.resume('kopfexamples', function resume_fn_1({ spec, logger }) {
  logger.info(`RESUMED 1st: ${JSON.stringify(spec)}`);
});

on.create('kopfexamples', function create_fn_1({ spec, logger }) {
  logger.info(`CREATED 1st: field is ${JSON.stringify(spec.field)}`);
});

on.create('kopfexamples', function create_fn_2({ meta, logger }) {
  logger.info(`CREATED 2nd: name is ${meta.name}`);
});

on.update('kopfexamples', function update_fn({ old, new: fresh, diff, logger }) {
  logger.info(
    `UPDATED: ${JSON.stringify(old?.spec)} -> ${JSON.stringify(fresh?.spec)}; diff: ${JSON.stringify(diff)}`,
  );
});

on.field('kopfexamples', { field: 'spec.field' }, function field_fn({ old, new: fresh, logger }) {
  logger.info(`FIELD CHANGED: ${String(old)} -> ${String(fresh)}`);
});

on.delete('kopfexamples', function delete_fn_1({ logger }) {
  logger.info('DELETED 1st');
});
