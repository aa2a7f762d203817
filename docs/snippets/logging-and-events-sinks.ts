import { on } from '@kopf/core';
import {
  formatRecord,
  type LogRecord,
  type LogSink,
  MemorySink,
  Operator,
  objectPrefix,
  streamSink,
  teeSink,
} from '@kopf/reactor';

on.create('kopfexamples', ({ logger }) => logger.info('Hello.'));

// JSON lines on stdout, debug and up, the object under the key "k8s".
const json = streamSink({ format: 'json', level: 'debug', refKey: 'k8s', stream: process.stdout });

// A sink of your own: here, errors of one namespace go to an alerting function.
function alert(text: string): void {
  console.error(`ALERT ${text}`);
}
const alerts: LogSink = {
  write(record: LogRecord) {
    if (record.level === 'error' && record.object?.namespace === 'production') {
      alert(`${objectPrefix(record.object)} ${record.message}`);
    }
  },
};

// Everything kept in memory too, e.g. for a debugging endpoint.
const memory = new MemorySink();

export const operator = new Operator({ logs: teeSink(json, alerts, memory) });

export function lastLines(count: number): string[] {
  return memory.records.slice(-count).map((record) => formatRecord(record, { format: 'full' }));
}
