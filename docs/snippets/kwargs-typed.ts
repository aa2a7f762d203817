import { type Body, type ChangingKwargs, on, type TimerKwargs } from '@kopf/core';

interface DatabaseSpec {
  engine: 'postgres' | 'mysql';
  size: number;
  replicas?: number;
}
interface DatabaseStatus {
  phase: 'Pending' | 'Ready';
  endpoint: string;
}
type Database = Body<DatabaseSpec, DatabaseStatus>;

// Type parameters on on.*: spec, status, body, old and new are typed.
on.create<DatabaseSpec, DatabaseStatus>('databases.example.com', ({ spec, status, patch }) => {
  const replicas = spec.replicas ?? 1; // number
  if (status.phase !== 'Ready') patch.status.phase = 'Pending'; // status is Partial<DatabaseStatus>
  return { engine: spec.engine, replicas };
});

// Or annotate the argument of a function declared elsewhere.
async function resize({ old, new: fresh, logger }: ChangingKwargs<DatabaseSpec, DatabaseStatus>) {
  logger.info(`size ${old?.spec?.size} -> ${fresh?.spec?.size}`);
}
on.update('databases.example.com', resize);

// The same for other kinds: TimerKwargs, DaemonKwargs, EventKwargs, IndexKwargs, …
function report({ body }: TimerKwargs<DatabaseSpec, DatabaseStatus>): string {
  const database: Database = body;
  return `${database.metadata?.name}: ${database.spec?.engine} ${database.status?.phase ?? 'unknown'}`;
}
on.timer('databases.example.com', { interval: 60 }, report);
