import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import {
  type OpenApiResource,
  openApiV2Protobuf,
  openApiV3GroupVersion,
  openApiV3Key,
  openApiV3Root,
} from './openapi.js';

const RESOURCES: readonly OpenApiResource[] = [
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, subresources: [] },
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    subresources: ['status'],
  },
  {
    group: 'kopf.dev',
    version: 'v1',
    kind: 'KopfExample',
    plural: 'kopfexamples',
    namespaced: true,
    subresources: ['status', 'scale'],
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
    subresources: [],
  },
];

/** A component schema as the tests read it. */
type KindSchema = { properties: Record<string, unknown>; [key: string]: unknown };

type Operation = {
  parameters: { name: string; in: string }[];
  requestBody: { content: Record<string, unknown> };
  'x-kubernetes-group-version-kind': unknown;
};

describe('openApiV3Root', () => {
  it('lists every group-version under the keys kube-apiserver uses, with its hash', () => {
    const root = openApiV3Root(['v1', 'kopf.dev/v1', 'apps/v1'], (gv) => `h-${gv.length}`);
    expect(root).toEqual({
      paths: {
        'api/v1': { serverRelativeURL: '/openapi/v3/api/v1?hash=h-2' },
        'apis/kopf.dev/v1': { serverRelativeURL: '/openapi/v3/apis/kopf.dev/v1?hash=h-11' },
        'apis/apps/v1': { serverRelativeURL: '/openapi/v3/apis/apps/v1?hash=h-7' },
      },
    });
  });

  it('accepts keys already in path form', () => {
    expect(openApiV3Key('apis/kopf.dev/v1')).toBe('apis/kopf.dev/v1');
    expect(openApiV3Key('api/v1')).toBe('api/v1');
    expect(openApiV3Key('v1')).toBe('api/v1');
  });
});

describe('openApiV3GroupVersion', () => {
  const custom = openApiV3GroupVersion('kopf.dev/v1', RESOURCES);
  const paths = custom.paths as Record<string, { patch: Operation }>;

  it('is an OpenAPI 3.0 document holding only the group-version’s resources', () => {
    expect(custom.openapi).toBe('3.0.0');
    expect(Object.keys(paths)).toEqual([
      '/apis/kopf.dev/v1/namespaces/{namespace}/kopfexamples/{name}',
      '/apis/kopf.dev/v1/namespaces/{namespace}/kopfexamples/{name}/status',
      '/apis/kopf.dev/v1/namespaces/{namespace}/kopfexamples/{name}/scale',
    ]);
  });

  it('tags each PATCH with its GVK and a fieldValidation query parameter (what kubectl checks)', () => {
    const main = paths['/apis/kopf.dev/v1/namespaces/{namespace}/kopfexamples/{name}']!.patch;
    expect(main['x-kubernetes-group-version-kind']).toEqual({
      group: 'kopf.dev',
      version: 'v1',
      kind: 'KopfExample',
    });
    expect(main.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query' }));
    expect(main.parameters.map((p) => p.name)).toEqual([
      'name',
      'namespace',
      'dryRun',
      'fieldManager',
      'fieldValidation',
      'force',
    ]);
    const scale = paths['/apis/kopf.dev/v1/namespaces/{namespace}/kopfexamples/{name}/scale']!.patch;
    expect(scale['x-kubernetes-group-version-kind']).toEqual({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
  });

  it('offers no strategic merge, so that kubectl apply patches from its compiled-in types', () => {
    for (const { patch } of Object.values(paths)) {
      expect(Object.keys(patch.requestBody.content)).toEqual([
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/apply-patch+yaml',
      ]);
    }
  });

  it('publishes each kind’s schema under its GVK for kubectl explain, with the CRD’s fields', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object', description: 'What to do.' } } };
    const withSchema = RESOURCES.map((r) => (r.kind === 'KopfExample' ? { ...r, schema } : r));
    const schemas = (
      openApiV3GroupVersion('kopf.dev/v1', withSchema).components as { schemas: Record<string, KindSchema> }
    ).schemas;
    const kopfExample = schemas['dev.kopf.v1.KopfExample']!;
    expect(kopfExample['x-kubernetes-group-version-kind']).toEqual([
      { group: 'kopf.dev', kind: 'KopfExample', version: 'v1' },
    ]);
    expect(Object.keys(kopfExample.properties)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(kopfExample.properties.spec).toEqual({ type: 'object', description: 'What to do.' });
    const core = (
      openApiV3GroupVersion('v1', RESOURCES).components as { schemas: Record<string, KindSchema> }
    ).schemas;
    expect(core['io.k8s.api.core.v1.ConfigMap']).toMatchObject({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'ConfigMap', version: 'v1' }],
    });
    const apps = (
      openApiV3GroupVersion('apps/v1', RESOURCES).components as { schemas: Record<string, unknown> }
    ).schemas;
    expect(Object.keys(apps)).toContain('io.k8s.api.apps.v1.Deployment');
  });

  it('writes core paths under /api/v1 and cluster-scoped paths without a namespace', () => {
    const core = openApiV3GroupVersion('v1', RESOURCES).paths as Record<string, { patch: Operation }>;
    expect(Object.keys(core)).toEqual([
      '/api/v1/namespaces/{namespace}/configmaps/{name}',
      '/api/v1/namespaces/{name}',
      '/api/v1/namespaces/{name}/status',
    ]);
    const namespace = core['/api/v1/namespaces/{name}']!.patch;
    expect(namespace.parameters.map((p) => p.name)).not.toContain('namespace');
    expect(namespace['x-kubernetes-group-version-kind']).toEqual({
      group: '',
      version: 'v1',
      kind: 'Namespace',
    });
  });
});

/** A generic protobuf walk: field number → list of raw values (bytes for length-delimited). */
function fields(bytes: Uint8Array): Map<number, (Uint8Array | bigint | number)[]> {
  const reader = new BinaryReader(bytes);
  const result = new Map<number, (Uint8Array | bigint | number)[]>();
  while (reader.pos < reader.len) {
    const [fieldNo, wireType] = reader.tag();
    const value = wireType === WireType.LengthDelimited ? reader.bytes() : reader.uint32();
    result.set(fieldNo, [...(result.get(fieldNo) ?? []), value]);
  }
  return result;
}

const text = (value: unknown): string => new TextDecoder().decode(value as Uint8Array);
const one = (bytes: unknown, ...path: number[]): Uint8Array =>
  path.reduce((current, fieldNo) => fields(current).get(fieldNo)![0] as Uint8Array, bytes as Uint8Array);

describe('openApiV2Protobuf (gnostic openapi_v2.Document for kubectl 1.27 and 1.28)', () => {
  const document = openApiV2Protobuf(RESOURCES);
  const top = fields(document);
  const pathItems = (fields(top.get(8)![0] as Uint8Array).get(2) ?? []) as Uint8Array[];

  it('is a swagger 2.0 document with one named path item per PATCH path', () => {
    expect(text(top.get(1)![0])).toBe('2.0');
    expect(pathItems.map((item) => text(one(item, 1)))).toEqual([
      '/api/v1/namespaces/{namespace}/configmaps/{name}',
      '/api/v1/namespaces/{name}',
      '/api/v1/namespaces/{name}/status',
      '/apis/kopf.dev/v1/namespaces/{namespace}/kopfexamples/{name}',
      '/apis/kopf.dev/v1/namespaces/{namespace}/kopfexamples/{name}/status',
      '/apis/kopf.dev/v1/namespaces/{namespace}/kopfexamples/{name}/scale',
      '/apis/apps/v1/namespaces/{namespace}/deployments/{name}',
    ]);
  });

  it('gives each PATCH the GVK extension as YAML and a fieldValidation query parameter', () => {
    const operation = one(pathItems[3], 2, 8); // NamedPathItem.value → PathItem.patch
    const extension = one(operation, 13);
    expect(text(one(extension, 1))).toBe('x-kubernetes-group-version-kind');
    expect(text(one(extension, 2, 2))).toBe('group: "kopf.dev"\nkind: KopfExample\nversion: v1\n');
    const query = one(operation, 8, 1, 2, 3); // ParametersItem → Parameter → NonBodyParameter → query
    expect(text(one(query, 4))).toBe('fieldValidation');
    expect(text(one(query, 2))).toBe('query');
    const coreExtension = one(one(pathItems[1], 2, 8), 13);
    expect(text(one(coreExtension, 2, 2))).toBe('group: ""\nkind: Namespace\nversion: v1\n');
  });
});
