import { on } from '@kopf/core';
import { AnnotationsDiffBaseStorage, SmartProgressStorage } from '@kopf/reactor';

// A second operator serving the same objects: its own annotation prefix and finalizer,
// so the two keep separate progress, diff-bases and finalizers.
const prefix = 'billing.example.com';
on.startup(({ settings }) => {
  settings.persistence.progressStorage = new SmartProgressStorage({ prefix });
  settings.persistence.diffbaseStorage = new AnnotationsDiffBaseStorage({ prefix });
  settings.persistence.finalizer = `${prefix}/finalizer`;
});
