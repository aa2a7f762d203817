import { describe, expect, it } from 'vitest';
import { humanDuration, type PrinterColumn, renderTable } from './tables.js';

const NOW = new Date('2024-05-01T12:00:00Z');
const ago = (seconds: number): string =>
  new Date(NOW.getTime() - seconds * 1000).toISOString().replace('.000', '');

/** The kopfexamples CRD's printer columns (the Kopf talk's crd.yaml). */
const KOPF_COLUMNS: readonly PrinterColumn[] = [
  { name: 'Duration', type: 'string', priority: 0, jsonPath: '.spec.duration', description: 'For how long.' },
  { name: 'Children', type: 'string', priority: 0, jsonPath: '.status.create_fn.children' },
  { name: 'Message', type: 'string', priority: 0, jsonPath: '.status.create_fn.message' },
];

const example = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'kopf.dev/v1',
  kind: 'KopfExample',
  metadata: {
    name,
    namespace: 'default',
    uid: `uid-${name}`,
    resourceVersion: '7',
    creationTimestamp: ago(330),
  },
  spec: { duration: '1m', field: 'value', items: ['item1', 'item2'] },
  ...extra,
});

describe('renderTable for a CRD with printer columns', () => {
  const table = renderTable(
    [example('kopf-example-1', { status: { create_fn: { message: 'hello world', children: ['pod-a'] } } })],
    KOPF_COLUMNS,
    { now: NOW, resourceVersion: '42' },
  );

  it('is a meta.k8s.io/v1 Table with the list resourceVersion', () => {
    expect(table).toMatchObject({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '42' },
    });
    expect(table.metadata).toEqual({ resourceVersion: '42' });
  });

  it('has Name first, then the columns with every field kube writes', () => {
    const definitions = table.columnDefinitions as Record<string, unknown>[];
    expect(definitions.map((d) => d.name)).toEqual(['Name', 'Duration', 'Children', 'Message']);
    expect(definitions[0]).toMatchObject({ name: 'Name', type: 'string', format: 'name', priority: 0 });
    expect(definitions[0]!.description).toMatch(/^Name must be unique within a namespace/);
    expect(definitions[1]).toEqual({
      name: 'Duration',
      type: 'string',
      format: '',
      description: 'For how long.',
      priority: 0,
    });
    expect(definitions[2]!.description).toBe(
      'Custom resource definition column (in JSONPath format): .status.create_fn.children',
    );
  });

  it('renders cells from the JSONPaths: strings as is, lists as JSON, and PartialObjectMetadata rows', () => {
    expect(table.rows).toEqual([
      {
        cells: ['kopf-example-1', '1m', '["pod-a"]', 'hello world'],
        object: {
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: example('kopf-example-1').metadata,
        },
      },
    ]);
  });

  it('leaves a cell null when its path finds nothing', () => {
    const bare = renderTable([example('bare')], KOPF_COLUMNS, { now: NOW, resourceVersion: '1' });
    expect((bare.rows as { cells: unknown[] }[])[0]!.cells).toEqual(['bare', '1m', null, null]);
  });
});

describe('renderTable defaults and options', () => {
  it('prints Name and Age for a CRD without printer columns, Age as a human duration', () => {
    const table = renderTable([example('a'), example('b')], undefined, { now: NOW, resourceVersion: '3' });
    const definitions = table.columnDefinitions as Record<string, unknown>[];
    expect(definitions.map((d) => [d.name, d.type])).toEqual([
      ['Name', 'string'],
      ['Age', 'date'],
    ]);
    expect(definitions[1]!.description).toMatch(/^CreationTimestamp is a timestamp/);
    expect((table.rows as { cells: unknown[] }[]).map((row) => row.cells)).toEqual([
      ['a', '5m30s'],
      ['b', '5m30s'],
    ]);
    expect(renderTable([], [], { now: NOW, resourceVersion: '3' }).columnDefinitions).toEqual(definitions);
  });

  it('carries continue, and includeObject None or Object', () => {
    const object = example('a');
    const none = renderTable([object], undefined, {
      now: NOW,
      resourceVersion: '9',
      continue: 'abc',
      includeObject: 'None',
    });
    expect(none.metadata).toEqual({ resourceVersion: '9', continue: 'abc' });
    expect((none.rows as { object: unknown }[])[0]!.object).toBeNull();
    const whole = renderTable([object], undefined, {
      now: NOW,
      resourceVersion: '9',
      includeObject: 'Object',
    });
    expect((whole.rows as { object: unknown }[])[0]!.object).toEqual(object);
  });

  it('renders an empty list as a Table without rows', () => {
    expect(renderTable([], KOPF_COLUMNS, { now: NOW, resourceVersion: '5' }).rows).toEqual([]);
  });
});

describe('renderTable for built-in printers', () => {
  const configMap = { metadata: { name: 'settings', creationTimestamp: ago(45) }, data: { a: '1', b: '2' } };

  it('computes cells with `cell` instead of the JSONPath (a ConfigMap’s Data count)', () => {
    const columns: PrinterColumn[] = [
      {
        name: 'Data',
        type: 'string',
        jsonPath: '',
        cell: (object) => Object.keys(object.data as object).length,
      },
      {
        name: 'Age',
        type: 'string',
        jsonPath: '',
        cell: (_, now) => humanDuration(now.getTime() - NOW.getTime() + 45_000),
      },
    ];
    const table = renderTable([configMap], columns, { now: NOW, resourceVersion: '1' });
    expect((table.rows as { cells: unknown[] }[])[0]!.cells).toEqual(['settings', 2, '45s']);
  });

  it('leaves out the Name column when asked (kube’s Event printer)', () => {
    const event = { metadata: { name: 'e1' }, type: 'Normal', reason: 'Logging' };
    const columns: PrinterColumn[] = [
      { name: 'Type', type: 'string', jsonPath: '.type' },
      { name: 'Reason', type: 'string', jsonPath: '.reason' },
    ];
    const table = renderTable([event], columns, { now: NOW, resourceVersion: '1', nameColumn: false });
    expect((table.columnDefinitions as { name: string }[]).map((c) => c.name)).toEqual(['Type', 'Reason']);
    expect((table.rows as { cells: unknown[] }[])[0]!.cells).toEqual(['Normal', 'Logging']);
  });
});

describe('renderTable cells by column type and JSONPath', () => {
  const object = {
    metadata: { name: 'x', creationTimestamp: ago(10), labels: { 'app.kubernetes.io/name': 'demo' } },
    spec: {
      replicas: 3.7,
      ratio: 0.5,
      enabled: true,
      items: ['a', 'b', 'c'],
      nested: { k: 'v' },
      started: ago(4000),
    },
    status: {
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'False', reason: 'Waiting' },
      ],
    },
  };
  const cells = (columns: Omit<PrinterColumn, 'name'>[]): unknown[] =>
    (
      renderTable(
        [object],
        columns.map((c, i) => ({ name: `c${i}`, ...c })),
        { now: NOW, resourceVersion: '1' },
      ).rows as { cells: unknown[] }[]
    )[0]!.cells.slice(1);

  it('types integer, number, boolean and date cells as tableconvertor.go does', () => {
    expect(
      cells([
        { type: 'integer', jsonPath: '.spec.replicas' },
        { type: 'number', jsonPath: '.spec.ratio' },
        { type: 'boolean', jsonPath: '.spec.enabled' },
        { type: 'date', jsonPath: '.spec.started' },
        { type: 'integer', jsonPath: '.spec.enabled' },
        { type: 'date', jsonPath: '.spec.items[0]' },
        { type: 'string', jsonPath: '.spec.replicas' },
      ]),
    ).toEqual([3, 0.5, true, '66m', null, '<invalid>', '3.7']);
  });

  it('evaluates filters, indexes, wildcards, quoted and escaped keys', () => {
    expect(
      cells([
        { type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
        { type: 'string', jsonPath: ".status.conditions[?(@.type == 'Ready')].reason" },
        { type: 'string', jsonPath: '.status.conditions[?(@.type!="Initialized")].type' },
        { type: 'string', jsonPath: '.spec.items[1]' },
        { type: 'string', jsonPath: '.spec.items[-1]' },
        { type: 'string', jsonPath: '.spec.items[*]' },
        { type: 'string', jsonPath: '.spec.items' },
        { type: 'string', jsonPath: '.spec.nested' },
        { type: 'string', jsonPath: ".metadata.labels['app.kubernetes.io/name']" },
        { type: 'string', jsonPath: '.metadata.labels.app\\.kubernetes\\.io/name' },
        { type: 'string', jsonPath: '{.spec.nested.k}' },
        { type: 'string', jsonPath: '.spec.nested.*' },
        { type: 'string', jsonPath: '.spec.items[7]' },
      ]),
    ).toEqual([
      'False',
      'Waiting',
      'Ready',
      'b',
      'c',
      'a',
      '["a","b","c"]',
      '{"k":"v"}',
      'demo',
      'demo',
      'v',
      'v',
      null,
    ]);
  });

  it('leaves cells null for JSONPaths it cannot read (kube refuses such CRDs on creation)', () => {
    expect(
      cells([
        { type: 'string', jsonPath: '.spec..items' },
        { type: 'string', jsonPath: '.status.conditions[?(@.type==Ready)].status' },
        { type: 'string', jsonPath: 'spec' },
      ]),
    ).toEqual([null, null, null]);
  });
});

describe('humanDuration as kube prints ages', () => {
  it.each([
    [0, '0s'],
    [-1_500, '0s'],
    [-2_000, '<invalid>'],
    [5_000, '5s'],
    [119_999, '119s'],
    [120_000, '2m'],
    [150_000, '2m30s'],
    [599_000, '9m59s'],
    [600_000, '10m'],
    [179 * 60_000, '179m'],
    [3 * 3_600_000, '3h'],
    [4 * 3_600_000 + 20 * 60_000, '4h20m'],
    [8 * 3_600_000, '8h'],
    [47 * 3_600_000, '47h'],
    [48 * 3_600_000, '2d'],
    [3 * 86_400_000 + 4 * 3_600_000, '3d4h'],
    [8 * 86_400_000, '8d'],
    [729 * 86_400_000, '729d'],
    [730 * 86_400_000, '2y'],
    [760 * 86_400_000, '2y30d'],
    [9 * 365 * 86_400_000, '9y'],
  ])('%d ms → %s', (milliseconds, expected) => {
    expect(humanDuration(milliseconds)).toBe(expected);
  });
});
