import { on } from '@kopf/core';

on.startup(function configure({ settings }) {
  settings.posting.level = 'warning'; // post Events for warnings and errors only
  settings.peering.priority = 100;
  settings.watching.serverTimeout = 600;
  settings.queueing.workerLimit = 20;
  settings.execution.defaultBackoff = 10;
  settings.persistence.finalizer = 'my-operator.example.com/finalizer';
});
