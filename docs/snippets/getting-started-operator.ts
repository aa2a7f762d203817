import { on } from '@kopf/core';

on.create('kopfexamples', function create_fn({ spec, logger }) {
  logger.info(`And here we are! Creating: ${JSON.stringify(spec)}`);
  return { message: 'hello world' }; // lands in status.create_fn
});
