import { ABSENT, on, PRESENT } from '@kopf/core';

// `field` alone: the field must be present.
on.resume('kopfexamples', { field: 'spec.items' }, function has_items({ spec, logger }) {
  logger.info(`Resuming with items ${JSON.stringify(spec.items)}`);
});

// `value`: an exact value (deep equality), PRESENT, ABSENT or a callback.
on.create('kopfexamples', { field: 'spec.field', value: 'value' }, function exact_value({ logger }) {
  logger.info('spec.field is "value".');
});
on.timer(
  'kopfexamples',
  { interval: 60, field: 'spec.items', value: (items) => Array.isArray(items) && items.length > 1 },
  function many_items({ logger }) {
    logger.info('More than one item.');
  },
);

// Update and field handlers need the field to have changed; `old` and `new` check each side.
on.update(
  'kopfexamples',
  { field: 'spec.field', old: 'value', new: 'changed' },
  function from_value_to_changed({ logger }) {
    logger.info('spec.field went from "value" to "changed".');
  },
);
on.field('kopfexamples', { field: 'spec.replicas', old: PRESENT, new: ABSENT }, function unset({ logger }) {
  logger.info('spec.replicas was removed.');
});

// Fields are paths in the raw object; ['spec', 'a.b'] reaches a key with a dot.
on.field(
  'kopfexamples',
  { field: ['metadata', 'labels', 'app.kubernetes.io/name'] },
  ({ old, new: fresh }) => {
    console.log(`app name ${String(old)} -> ${String(fresh)}`);
  },
);
