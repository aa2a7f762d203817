import { on } from '@kopf/core';

on.create('kopfexamples', async function create_fn({ spec, logger }) {
  logger.debug(`Spec: ${JSON.stringify(spec)}`); // shown with kopf run --verbose
  logger.info('Creating the database.');
  if (spec.size === undefined) logger.warning('spec.size is missing; using 1.'); // logger.warn() too
  try {
    await fetch('http://db-provisioner.internal/create', { method: 'POST' });
  } catch (error) {
    logger.error('The provisioner did not answer.', error); // an Error is printed with its stack
  }
});
