import { on } from '@kopf/core';
import {
  AnnotationsDiffBaseStorage,
  AnnotationsProgressStorage,
  MultiDiffBaseStorage,
  MultiProgressStorage,
  StatusDiffBaseStorage,
  StatusProgressStorage,
} from '@kopf/reactor';

// Moving from status to annotations without losing anything: write both, read the first
// one that has a record. Once every object was handled, drop the status storages.
on.startup(({ settings }) => {
  settings.persistence.progressStorage = new MultiProgressStorage([
    new AnnotationsProgressStorage(),
    new StatusProgressStorage(),
  ]);
  settings.persistence.diffbaseStorage = new MultiDiffBaseStorage([
    new AnnotationsDiffBaseStorage(),
    new StatusDiffBaseStorage(),
  ]);
});
