import { on } from '@kopf/core';
import {
  AnnotationsDiffBaseStorage,
  AnnotationsProgressStorage,
  MultiProgressStorage,
  StatusProgressStorage,
} from '@kopf/reactor';

// A second operator on the same objects keeps its state under its own keys:
on.startup(({ settings }) => {
  settings.persistence.finalizer = 'other.example.com/finalizer';
  settings.persistence.progressStorage = new MultiProgressStorage([
    new AnnotationsProgressStorage({ prefix: 'other.example.com' }),
    new StatusProgressStorage({ name: 'other' }), // status.other.progress, read as well
  ]);
  settings.persistence.diffbaseStorage = new AnnotationsDiffBaseStorage({
    prefix: 'other.example.com',
    ignoredFields: ['spec.replicas'], // changes to it are not changes for this operator
  });
});
