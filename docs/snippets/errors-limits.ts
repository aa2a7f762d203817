import { HandlerRetriesError, on, TemporaryError } from '@kopf/core';

async function isDatabaseReady(): Promise<boolean> {
  return Math.random() > 0.5;
}

// Give up after 10 minutes or 20 attempts, whichever comes first.
on.create(
  'kopfexamples',
  { timeout: 600, retries: 20 },
  async function wait_for_database({ retry, runtime }) {
    if (!(await isDatabaseReady())) {
      throw new TemporaryError(`The database is not ready (attempt ${retry + 1}, ${runtime} s).`, {
        delay: 15,
      });
    }
  },
);

// Or decide yourself, from `retry` and `runtime`.
on.update('kopfexamples', async function sync_spec({ retry }) {
  if (!(await isDatabaseReady())) {
    if (retry >= 5) throw new HandlerRetriesError('Gave up after 5 retries.');
    throw new TemporaryError('The database is not ready.', { delay: 2 ** retry });
  }
});
