import { on } from '@kopf/core';
import { AnnotationsDiffBaseStorage } from '@kopf/reactor';

// spec.replicas is managed by an autoscaler: its changes are not updates for this operator.
on.startup(({ settings }) => {
  settings.persistence.diffbaseStorage = new AnnotationsDiffBaseStorage({ ignoredFields: ['spec.replicas'] });
});

on.update('kopfexamples', function update_fn({ diff, logger }) {
  logger.info(`Changed: ${diff.map((item) => item.field.join('.')).join(', ')}`); // never spec.replicas
});
