/**
 * The smallest OpenAPI documents with which kubectl's default validation passes
 * (`--validate=strict`): kubectl asks whether the server validates fields itself, by looking
 * for a PATCH operation tagged with the object's `x-kubernetes-group-version-kind` that takes
 * a `fieldValidation` query parameter; if so it sends `fieldValidation=Strict` and leaves the
 * checking to the server (cli-runtime `query_param_verifier*.go`). kubectl reads OpenAPI v3
 * (JSON, one document per group-version); 1.27 and 1.28 also insist on downloading v2 (protobuf).
 *
 * PATCH bodies deliberately omit strategic merge, so that `kubectl apply` builds its patches
 * from its compiled-in types (strategic merge for built-ins, merge patch for custom resources)
 * rather than from the minimal kind schemas published here for `kubectl explain`.
 */

import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

/** A served resource, as the OpenAPI documents describe it. */
export interface OpenApiResource {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  readonly subresources: readonly string[];
  /** A CRD version's `openAPIV3Schema`, shown by `kubectl explain`; absent → any object. */
  readonly schema?: Record<string, unknown>;
}

/** One PATCH operation: where, for which kind. */
interface PatchPath {
  readonly path: string;
  readonly gvk: { readonly group: string; readonly version: string; readonly kind: string };
  readonly namespaced: boolean;
}

const FIELD_VALIDATION_DESCRIPTION =
  'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing ' +
  'unknown or duplicate fields. Valid values are: Ignore, Warn (the default), Strict.';

/** The media types a custom resource's PATCH accepts; built-ins get no strategic merge here either. */
const PATCH_MEDIA_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
];

/** `api/v1` for the core group, `apis/<group>/<version>` for the others: the keys kube-apiserver uses. */
export function openApiV3Key(groupVersion: string): string {
  if (groupVersion.startsWith('api/') || groupVersion.startsWith('apis/')) return groupVersion;
  return groupVersion.includes('/') ? `apis/${groupVersion}` : `api/${groupVersion}`;
}

/**
 * `GET /openapi/v3`: one entry per group-version (`v1` or `kopf.dev/v1`, as given), each
 * pointing at `/openapi/v3/<key>?hash=<hashOf(groupVersion)>`. kubectl caches the documents
 * by that URL, so the hash must change whenever the group-version's document does.
 */
export function openApiV3Root(
  groupVersions: readonly string[],
  hashOf: (gv: string) => string,
): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const groupVersion of groupVersions) {
    const key = openApiV3Key(groupVersion);
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hashOf(groupVersion)}` };
  }
  return { paths };
}

/**
 * `GET /openapi/v3/<key>`: an OpenAPI 3.0 document with a PATCH operation per resource of
 * `groupVersion` (and its `status`/`scale` subresources), each with the GVK extension and the
 * `fieldValidation` parameter; resources of other group-versions are ignored.
 */
export function openApiV3GroupVersion(
  groupVersion: string,
  resources: readonly OpenApiResource[],
): Record<string, unknown> {
  const key = openApiV3Key(groupVersion);
  const served = resources.filter((r) => openApiV3Key(apiVersionOf(r)) === key);
  const paths: Record<string, unknown> = {};
  for (const patchPath of patchPaths(served)) {
    paths[patchPath.path] = { patch: v3PatchOperation(patchPath) };
  }
  const schemas: Record<string, unknown> = {
    'io.k8s.apimachinery.pkg.apis.meta.v1.Patch': { type: 'object' },
  };
  for (const resource of served) schemas[schemaName(resource)] = kindSchema(resource);
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths,
    components: { schemas },
  };
}

/** `io.k8s.api.core.v1.ConfigMap` style for built-ins, reversed group for CRDs (`dev.kopf.v1.KopfExample`). */
function schemaName({ group, version, kind }: OpenApiResource): string {
  if (!group) return `io.k8s.api.core.${version}.${kind}`;
  if (!group.includes('.')) return `io.k8s.api.${group}.${version}.${kind}`;
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

/**
 * The kind's schema for `kubectl explain`, found by its GVK extension: the CRD's schema with
 * `apiVersion`, `kind` and `metadata` added (as kube-apiserver publishes CRDs), else any object.
 */
function kindSchema(resource: OpenApiResource): Record<string, unknown> {
  const base = resource.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const properties = (base.properties as Record<string, unknown> | undefined) ?? {};
  return {
    ...base,
    properties: {
      apiVersion: {
        type: 'string',
        description: 'APIVersion defines the versioned schema of this representation of an object.',
      },
      kind: {
        type: 'string',
        description: 'Kind is a string value representing the REST resource this object represents.',
      },
      metadata: { type: 'object', description: "Standard object's metadata." },
      ...properties,
    },
    'x-kubernetes-group-version-kind': [
      { group: resource.group, kind: resource.kind, version: resource.version },
    ],
  };
}

function v3PatchOperation({ gvk, namespaced }: PatchPath): Record<string, unknown> {
  const query = (name: string, description: string) => ({
    name,
    in: 'query',
    description,
    schema: { type: 'string', uniqueItems: true },
  });
  const inPath = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
  const content = Object.fromEntries(
    PATCH_MEDIA_TYPES.map((type) => [
      type,
      { schema: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' } },
    ]),
  );
  return {
    description: `partially update the specified ${gvk.kind}`,
    operationId: `patch${gvk.kind}`,
    parameters: [
      inPath('name'),
      ...(namespaced ? [inPath('namespace')] : []),
      query('dryRun', 'When present, indicates that modifications should not be persisted.'),
      query(
        'fieldManager',
        'fieldManager is a name associated with the actor or entity that is making these changes.',
      ),
      query('fieldValidation', FIELD_VALIDATION_DESCRIPTION),
      { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } },
    ],
    requestBody: { content, required: true },
    responses: {
      '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } },
    },
    'x-kubernetes-action': 'patch',
    'x-kubernetes-group-version-kind': { group: gvk.group, version: gvk.version, kind: gvk.kind },
  };
}

/**
 * The Content-Type to answer `/openapi/v2` with. kubectl asks with `…spec.v2@v1.0+protobuf`,
 * but an `@` in the reply's media type fails Go's `mime` parser in kubectl (verified, 1.27).
 */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/**
 * `GET /openapi/v2` for kubectl 1.27 and 1.28 (`Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`):
 * a gnostic `openapi_v2.Document` holding the same PATCH operations as v3, for all resources.
 * Those two versions fail validation unless this downloads, and then look for `fieldValidation`
 * in v3, which must be served too (verified with both binaries: a 404 on v3 fails them).
 */
export function openApiV2Protobuf(resources: readonly OpenApiResource[]): Uint8Array {
  const document = new BinaryWriter();
  document.tag(1, WireType.LengthDelimited).string('2.0');
  document
    .tag(2, WireType.LengthDelimited)
    .bytes(message((info) => info.tag(1, 2).string('Kubernetes').tag(2, 2).string('unversioned')));
  document.tag(8, WireType.LengthDelimited).bytes(
    message((paths) => {
      for (const patchPath of patchPaths(resources)) {
        paths.tag(2, WireType.LengthDelimited).bytes(v2NamedPathItem(patchPath));
      }
    }),
  );
  return document.finish();
}

function v2NamedPathItem({ path, gvk }: PatchPath): Uint8Array {
  const fieldValidation = message((query) =>
    query
      .tag(2, 2)
      .string('query')
      .tag(3, 2)
      .string(FIELD_VALIDATION_DESCRIPTION)
      .tag(4, 2)
      .string('fieldValidation')
      .tag(6, 2)
      .string('string'),
  );
  const parameter = nest([1, 2, 3], fieldValidation); // ParametersItem.parameter.non_body_parameter.query_parameter_sub_schema
  const gvkYaml = `group: ${JSON.stringify(gvk.group)}\nkind: ${gvk.kind}\nversion: ${gvk.version}\n`;
  const extension = message((named) =>
    named
      .tag(1, 2)
      .string('x-kubernetes-group-version-kind')
      .tag(2, 2)
      .bytes(message((any) => any.tag(2, 2).string(gvkYaml))),
  );
  const ok = message((named) =>
    named
      .tag(1, 2)
      .string('200')
      .tag(2, 2)
      .bytes(
        nest(
          [1],
          message((r) => r.tag(1, 2).string('OK')),
        ),
      ),
  );
  const operation = message((op) => {
    op.tag(2, 2).string(`partially update the specified ${gvk.kind}`);
    op.tag(5, 2).string(`patch${gvk.kind}`);
    for (const type of PATCH_MEDIA_TYPES) op.tag(7, 2).string(type);
    op.tag(8, 2).bytes(parameter);
    op.tag(9, 2).bytes(message((responses) => responses.tag(1, 2).bytes(ok)));
    op.tag(13, 2).bytes(extension);
  });
  return message((named) =>
    named
      .tag(1, 2)
      .string(path)
      .tag(2, 2)
      .bytes(message((item) => item.tag(8, 2).bytes(operation))),
  );
}

function message(write: (writer: BinaryWriter) => unknown): Uint8Array {
  const writer = new BinaryWriter();
  write(writer);
  return writer.finish();
}

/** Wraps `inner` in one length-delimited field per number, innermost last. */
function nest(fieldNumbers: readonly number[], inner: Uint8Array): Uint8Array {
  return fieldNumbers.reduceRight((bytes, fieldNo) => message((w) => w.tag(fieldNo, 2).bytes(bytes)), inner);
}

function apiVersionOf(resource: OpenApiResource): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

function patchPaths(resources: readonly OpenApiResource[]): PatchPath[] {
  const result: PatchPath[] = [];
  for (const resource of resources) {
    const prefix = resource.group
      ? `/apis/${resource.group}/${resource.version}`
      : `/api/${resource.version}`;
    const scope = resource.namespaced ? '/namespaces/{namespace}' : '';
    const path = `${prefix}${scope}/${resource.plural}/{name}`;
    const gvk = { group: resource.group, version: resource.version, kind: resource.kind };
    result.push({ path, gvk, namespaced: resource.namespaced });
    if (resource.subresources.includes('status'))
      result.push({ path: `${path}/status`, gvk, namespaced: resource.namespaced });
    if (resource.subresources.includes('scale')) {
      const scale = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
      result.push({ path: `${path}/scale`, gvk: scale, namespaced: resource.namespaced });
    }
  }
  return result;
}
