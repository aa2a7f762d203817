import { on } from '@kopf/core';

on.startup(({ settings }) => {
  settings.posting.level = 'warning'; // post Warning and Error Events only
  settings.posting.loggers = true; // also post every object log line at that level (reason Logging)
  settings.posting.reportingComponent = 'my-operator'; // the Events' source
  settings.posting.eventNamePrefix = 'my-operator-event-';
});
