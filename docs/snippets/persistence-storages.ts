import { on } from '@kopf/core';
import { StatusDiffBaseStorage, StatusProgressStorage } from '@kopf/reactor';

// Keep progress and the last handled state in the status instead of annotations:
// status.kopf.progress.<id> and status.kopf.last-handled-configuration.
on.startup(({ settings }) => {
  settings.persistence.progressStorage = new StatusProgressStorage();
  settings.persistence.diffbaseStorage = new StatusDiffBaseStorage();
});
