import { on } from '@kopf/core';

// An object is merged into status.create_fn: { message: 'hello world', replicas: 3 }.
on.create('kopfexamples', function create_fn() {
  return { message: 'hello world', replicas: 3 };
});

// Any other JSON value replaces status.<id>: status.checksum = 'e3b0c442'.
on.update('kopfexamples', { id: 'checksum' }, () => 'e3b0c442');

// Nothing returned: nothing stored.
on.resume('kopfexamples', function resume_fn({ logger }) {
  logger.info('Nothing to report.');
});
