import { ABSENT, on, PRESENT } from '@kopf/core';

on.create('kopfexamples', { labels: { somelabel: 'somevalue' } }, function exact_label({ logger }) {
  logger.info('The label has exactly this value.');
});

on.create('kopfexamples', { labels: { somelabel: PRESENT, paused: ABSENT } }, function present({ logger }) {
  logger.info('somelabel is there (any value, even empty); paused is not.');
});

on.create(
  'kopfexamples',
  { annotations: { owner: (value, { namespace }) => value === `team-${namespace}` } },
  function owned_by_namespace_team({ logger }) {
    logger.info('The owner annotation names the namespace team.');
  },
);

// The talk's children: pods of any parent, whatever its name.
on.event('pods', { labels: { 'parent-name': PRESENT } }, function child_pod_event({ labels, logger }) {
  logger.info(`A child of ${labels['parent-name']} changed.`);
});
