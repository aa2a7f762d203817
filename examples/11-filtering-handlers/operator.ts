/**
 * Filters (Kopf's example 11): by labels and annotations (values, PRESENT,
 * ABSENT, callbacks), by `when`, and by a field's value or its old and new values.
 * A handler runs only when all its filters match.
 */
import { ABSENT, on, PRESENT } from '@kopf/core';

on.create(
  'kopfexamples',
  { labels: { somelabel: 'somevalue' } },
  function create_with_labels_matching({ logger }) {
    logger.info('Label value matches.');
  },
);

on.create(
  'kopfexamples',
  { labels: { somelabel: PRESENT } },
  function create_with_labels_present({ logger }) {
    logger.info('Label is present.');
  },
);

on.create(
  'kopfexamples',
  { labels: { nonexistent: ABSENT } },
  function create_with_labels_absent({ logger }) {
    logger.info('Label is absent.');
  },
);

on.create(
  'kopfexamples',
  { labels: { somelabel: 'othervalue' } },
  function create_with_labels_mismatching({ logger }) {
    logger.info('Label value does NOT match: this is never printed.');
  },
);

on.create(
  'kopfexamples',
  { annotations: { someannotation: (value) => value === 'somevalue' } },
  function create_with_annotation_callback({ logger }) {
    logger.info('Annotation callback matches.');
  },
);

on.create('kopfexamples', { when: ({ spec }) => spec.field === 'value' }, function create_when({ logger }) {
  logger.info('The `when` callback matches.');
});

on.create(
  'kopfexamples',
  { field: 'spec.field', value: 'value' },
  function create_with_field_value({ logger }) {
    logger.info('Field value matches.');
  },
);

on.update(
  'kopfexamples',
  { field: 'spec.field', old: 'value', new: 'changed' },
  function update_with_old_new({ logger }) {
    logger.info('Field changed from "value" to "changed".');
  },
);

on.update(
  'kopfexamples',
  { field: 'spec.field', new: 'something-else' },
  function update_mismatching({ logger }) {
    logger.info('Field changed to "something-else": this is never printed.');
  },
);
