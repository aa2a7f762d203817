import { on, TemporaryError } from '@kopf/core';

interface Database {
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
async function connectDatabase(url: string): Promise<Database> {
  return { ping: async () => url !== '', close: async () => undefined };
}

declare module '@kopf/core' {
  interface Memo {
    database?: Database;
  }
}

// Before anything is watched. The operator does not start until every startup handler succeeds.
on.startup(async function connect({ memo, settings, logger, retry }) {
  settings.posting.level = 'warning';
  settings.execution.defaultBackoff = 10;
  const database = await connectDatabase(process.env.DATABASE_URL ?? '');
  if (!(await database.ping())) {
    throw new TemporaryError(`The database is not up yet (attempt ${retry + 1}).`, { delay: 5 });
  }
  memo.database = database; // the operator-wide memo: every object's memo starts as a copy of it
  logger.info('Connected to the database.');
});

// On a graceful stop (SIGINT, SIGTERM, operator.stop()), after watching and daemons have stopped.
on.cleanup(async function disconnect({ memo, logger }) {
  await memo.database?.close();
  logger.info('Disconnected.');
});
