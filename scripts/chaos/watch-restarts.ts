/**
 * Counting the operator's watch restarts, by reason, from its log: the engine says
 * why it repeats a watch request (`expired` is a 410 Gone, `closed` a cut stream)
 * only in a debug line and in its metrics, and a SIGKILL would lose the metrics. A
 * log sink that appends each restart to the side store keeps them on disk, so the
 * run can show that its compactions really made the watches list again.
 */
import type { LogRecord, LogSink } from '@kopf/reactor';
import type { SideStore } from './side-store.js';

/** The engine's line (`streaming.ts`): "Restarting the watch-stream for <plural> <where>: <reason>." */
const RESTART_LINE = /^Restarting the watch-stream for (\S+) .*: (\w+)\.$/;

/** The restart reason of a log record about `plural`, or `undefined` if it is not such a line. */
export function watchRestartReason(record: LogRecord, plural: string): string | undefined {
  const match = RESTART_LINE.exec(record.message);
  return match && match[1] === plural ? match[2] : undefined;
}

/** A sink that appends every restart of the watch of `plural` to `store`, at any log level. */
export function watchRestartSink(store: SideStore, plural: string): LogSink {
  return {
    write(record) {
      const reason = watchRestartReason(record, plural);
      if (reason !== undefined)
        store.append({ kind: 'watch-restart', at: record.time.getTime(), pid: process.pid, reason });
    },
  };
}
