import { describe, expect, it } from 'vitest';
import { formatRecord, type LogRecord, MemorySink, streamSink } from './logging.js';

const record: LogRecord = {
  time: new Date('2026-01-02T10:12:53.123Z'),
  level: 'info',
  logger: 'kopf.objects',
  message: "Handler 'create_fn' succeeded.",
  object: {
    apiVersion: 'kopf.dev/v1',
    kind: 'KopfExample',
    name: 'kopf-example-1',
    namespace: 'default',
    uid: 'u1',
  },
};

describe('formatRecord', () => {
  it("renders Kopf's full format with the object prefix", () => {
    expect(formatRecord(record)).toBe(
      "[2026-01-02 10:12:53,123] kopf.objects         [INFO    ] [default/kopf-example-1] Handler 'create_fn' succeeded.",
    );
  });

  it('renders the plain format, and cluster-scoped objects without a namespace', () => {
    const clusterScoped = { ...record, object: { name: 'node-1' } };
    expect(formatRecord(clusterScoped, { format: 'plain' })).toBe("[node-1] Handler 'create_fn' succeeded.");
  });

  it('renders JSON with the reference under the configured key and no prefix', () => {
    const line = JSON.parse(formatRecord({ ...record, level: 'warning' }, { format: 'json', refKey: 'k8s' }));
    expect(line).toEqual({
      message: "Handler 'create_fn' succeeded.",
      timestamp: '2026-01-02T10:12:53.123Z',
      severity: 'warn',
      logger: 'kopf.objects',
      k8s: record.object,
    });
  });

  it('appends the stack of an error', () => {
    const error = new Error('boom');
    expect(formatRecord({ ...record, error }, { format: 'plain' })).toContain('Error: boom\n    at ');
  });
});

describe('sinks', () => {
  it('filters by level when streaming', () => {
    let text = '';
    const sink = streamSink({
      level: 'warning',
      format: 'plain',
      stream: { write: (t: string) => (text += t) },
    });
    sink.write(record);
    sink.write({ ...record, level: 'error', message: 'bad' });
    expect(text).toBe('[default/kopf-example-1] bad\n');
  });

  it('keeps records in memory with their prefixes', () => {
    const sink = new MemorySink();
    sink.write({ ...record, level: 'debug', message: 'details' });
    sink.write(record);
    expect(sink.lines('info')).toEqual(["[default/kopf-example-1] Handler 'create_fn' succeeded."]);
  });
});
