/**
 * Decodes the protobuf request bodies that kubectl 1.32+ sends for `kubectl create
 * namespace|configmap|secret|serviceaccount`, and that every kubectl sends for
 * `kubectl auth can-i` and `kubectl auth whoami` (it does not fall back to JSON on 415).
 *
 * A body is the Kubernetes envelope: the magic `k8s\0`, then a `runtime.Unknown` whose
 * `typeMeta` names the kind and whose `raw` holds the object's message. The object is
 * turned into the very JSON object kubectl would have sent as JSON, following Go's
 * `encoding/json` rules for each field (`omitempty`, pointers, zero times as `null`).
 * Field numbers: `k8s.io/api/{core,authorization,authentication}/v1/generated.proto`,
 * `apimachinery/.../meta/v1/generated.proto`.
 */

import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

/** A body that is not a decodable Kubernetes protobuf envelope of a supported kind. */
export class ProtobufDecodeError extends Error {
  override name = 'ProtobufDecodeError';
}

/** How a field appears in Go's JSON: dropped when zero, when absent on the wire, or always. */
type Presence = 'omitEmpty' | 'pointer' | 'always';

type Kind =
  | { readonly scalar: 'string' | 'bool' | 'int64' | 'bytes' | 'time' | 'rawJson' }
  | { readonly message: Schema }
  | { readonly map: 'string' | 'bytes' };

interface Field {
  readonly name: string;
  readonly kind: Kind;
  readonly repeated?: boolean;
  readonly presence?: Presence;
}

type Schema = Readonly<Record<number, Field>>;

const str = (name: string, presence?: Presence): Field => ({ name, kind: { scalar: 'string' }, presence });
const ptrBool = (name: string): Field => ({ name, kind: { scalar: 'bool' }, presence: 'pointer' });
const list = (name: string, message: Schema): Field => ({ name, kind: { message }, repeated: true });
const strings = (name: string): Field => ({ name, kind: { scalar: 'string' }, repeated: true });
const map = (name: string, values: 'string' | 'bytes'): Field => ({ name, kind: { map: values } });

const OWNER_REFERENCE: Schema = {
  1: str('kind', 'always'),
  3: str('name', 'always'),
  4: str('uid', 'always'),
  5: str('apiVersion', 'always'),
  6: ptrBool('controller'),
  7: ptrBool('blockOwnerDeletion'),
};

const MANAGED_FIELDS_ENTRY: Schema = {
  1: str('manager'),
  2: str('operation'),
  3: str('apiVersion'),
  4: { name: 'time', kind: { scalar: 'time' }, presence: 'pointer' },
  6: str('fieldsType'),
  7: { name: 'fieldsV1', kind: { scalar: 'rawJson' }, presence: 'pointer' },
  8: str('subresource'),
};

const OBJECT_META: Schema = {
  1: str('name'),
  2: str('generateName'),
  3: str('namespace'),
  4: str('selfLink'),
  5: str('uid'),
  6: str('resourceVersion'),
  7: { name: 'generation', kind: { scalar: 'int64' } },
  8: { name: 'creationTimestamp', kind: { scalar: 'time' }, presence: 'always' },
  9: { name: 'deletionTimestamp', kind: { scalar: 'time' }, presence: 'pointer' },
  10: { name: 'deletionGracePeriodSeconds', kind: { scalar: 'int64' }, presence: 'pointer' },
  11: map('labels', 'string'),
  12: map('annotations', 'string'),
  13: list('ownerReferences', OWNER_REFERENCE),
  14: strings('finalizers'),
  17: list('managedFields', MANAGED_FIELDS_ENTRY),
};

const METADATA: Field = { name: 'metadata', kind: { message: OBJECT_META }, presence: 'always' };

const NAMESPACE_CONDITION: Schema = {
  1: str('type', 'always'),
  2: str('status', 'always'),
  4: { name: 'lastTransitionTime', kind: { scalar: 'time' }, presence: 'always' },
  5: str('reason'),
  6: str('message'),
};

const OBJECT_REFERENCE: Schema = {
  1: str('kind'),
  2: str('namespace'),
  3: str('name'),
  4: str('uid'),
  5: str('apiVersion'),
  6: str('resourceVersion'),
  7: str('fieldPath'),
};

const RESOURCE_ATTRIBUTES: Schema = {
  1: str('namespace'),
  2: str('verb'),
  3: str('group'),
  4: str('version'),
  5: str('resource'),
  6: str('subresource'),
  7: str('name'),
};

const SELF_SUBJECT_REVIEW: Schema = { 1: METADATA };

/** The kinds kubectl sends as protobuf, keyed by `apiVersion/kind` of the envelope. */
const KINDS: Readonly<Record<string, Schema>> = {
  'authorization.k8s.io/v1/SelfSubjectAccessReview': {
    1: METADATA,
    2: {
      name: 'spec',
      kind: {
        message: {
          1: { name: 'resourceAttributes', kind: { message: RESOURCE_ATTRIBUTES }, presence: 'pointer' },
          2: {
            name: 'nonResourceAttributes',
            kind: { message: { 1: str('path'), 2: str('verb') } },
            presence: 'pointer',
          },
        },
      },
      presence: 'always',
    },
  },
  'authorization.k8s.io/v1/SelfSubjectRulesReview': {
    1: METADATA,
    2: { name: 'spec', kind: { message: { 1: str('namespace') } }, presence: 'always' },
  },
  'authentication.k8s.io/v1/SelfSubjectReview': SELF_SUBJECT_REVIEW,
  'authentication.k8s.io/v1beta1/SelfSubjectReview': SELF_SUBJECT_REVIEW,
  'v1/ConfigMap': {
    1: METADATA,
    2: map('data', 'string'),
    3: map('binaryData', 'bytes'),
    4: ptrBool('immutable'),
  },
  'v1/Secret': {
    1: METADATA,
    2: map('data', 'bytes'),
    3: str('type'),
    4: map('stringData', 'string'),
    5: ptrBool('immutable'),
  },
  'v1/Namespace': {
    1: METADATA,
    2: { name: 'spec', kind: { message: { 1: strings('finalizers') } }, presence: 'always' },
    3: {
      name: 'status',
      kind: { message: { 1: str('phase'), 2: list('conditions', NAMESPACE_CONDITION) } },
      presence: 'always',
    },
  },
  'v1/ServiceAccount': {
    1: METADATA,
    2: list('secrets', OBJECT_REFERENCE),
    3: list('imagePullSecrets', { 1: str('name') }),
    4: ptrBool('automountServiceAccountToken'),
  },
};

/** runtime.TypeMeta inside runtime.Unknown (numbered unlike metav1.TypeMeta). */
const TYPE_META: Schema = { 1: str('apiVersion'), 2: str('kind') };

const MAGIC = [0x6b, 0x38, 0x73, 0x00]; // "k8s\0"

/**
 * Decodes a `application/vnd.kubernetes.protobuf` request body into the JSON object
 * kubectl would have sent (`kind`, `apiVersion`, `metadata`, …).
 *
 * @throws ProtobufDecodeError for a missing magic, a malformed message, or a kind other
 *   than v1 ConfigMap, Secret, Namespace and ServiceAccount and the self-subject reviews.
 */
export function decodeProtobufObject(body: Uint8Array): Record<string, unknown> {
  if (body.length < MAGIC.length || MAGIC.some((byte, i) => body[i] !== byte)) {
    throw new ProtobufDecodeError(
      'decoding a protobuf request body failed: it does not start with the Kubernetes magic "k8s\\0"; ' +
        'send application/vnd.kubernetes.protobuf bodies as kube-apiserver expects them, or send JSON.',
    );
  }
  try {
    return decodeEnvelope(body.subarray(MAGIC.length));
  } catch (error) {
    if (error instanceof ProtobufDecodeError) throw error;
    throw new ProtobufDecodeError(
      `decoding a protobuf request body failed: the message is malformed (${error}); ` +
        'send the complete body, or send the object as JSON.',
      {
        cause: error,
      },
    );
  }
}

function decodeEnvelope(bytes: Uint8Array): Record<string, unknown> {
  const reader = new BinaryReader(bytes);
  let typeMeta: Record<string, unknown> = {};
  let raw: Uint8Array = new Uint8Array();
  let contentEncoding = '';
  while (reader.pos < reader.len) {
    const [fieldNo, wireType] = reader.tag();
    if (fieldNo === 1) typeMeta = readMessage(lengthDelimited(reader, wireType, 'typeMeta'), TYPE_META);
    else if (fieldNo === 2) raw = lengthDelimited(reader, wireType, 'raw');
    else if (fieldNo === 3) contentEncoding = utf8(lengthDelimited(reader, wireType, 'contentEncoding'));
    else reader.skip(wireType, fieldNo);
  }
  const apiVersion = String(typeMeta.apiVersion ?? '');
  const kind = String(typeMeta.kind ?? '');
  const schema = KINDS[`${apiVersion}/${kind}`];
  if (!schema) {
    throw new ProtobufDecodeError(
      `decoding a protobuf request body failed: kind "${kind}" of "${apiVersion}" is not supported ` +
        '(only v1 ConfigMap, Secret, Namespace, ServiceAccount and the self-subject reviews are); send this object as JSON.',
    );
  }
  if (contentEncoding) {
    throw new ProtobufDecodeError(
      `decoding a protobuf ${kind} failed: content encoding "${contentEncoding}" is not supported; ` +
        'send the object unencoded.',
    );
  }
  return { kind, apiVersion, ...readMessage(raw, schema) };
}

function readMessage(bytes: Uint8Array, schema: Schema): Record<string, unknown> {
  const reader = new BinaryReader(bytes);
  const values: Record<string, unknown> = {};
  while (reader.pos < reader.len) {
    const [fieldNo, wireType] = reader.tag();
    const field = schema[fieldNo];
    if (!field) {
      reader.skip(wireType, fieldNo);
      continue;
    }
    const value = readValue(reader, wireType, field);
    if (field.repeated) {
      values[field.name] = [...((values[field.name] as unknown[] | undefined) ?? []), value];
    } else if ('map' in field.kind) {
      values[field.name] = { ...(values[field.name] as object | undefined), ...(value as object) };
    } else {
      values[field.name] = value;
    }
  }
  return goJson(values, schema);
}

function readValue(reader: BinaryReader, wireType: WireType, field: Field): unknown {
  const kind = field.kind;
  if ('message' in kind) return readMessage(lengthDelimited(reader, wireType, field.name), kind.message);
  if ('map' in kind) return readMapEntry(lengthDelimited(reader, wireType, field.name), kind.map);
  switch (kind.scalar) {
    case 'bool':
      return varint(reader, wireType, field.name).bool();
    case 'int64':
      return Number(BigInt.asIntN(64, BigInt(varint(reader, wireType, field.name).int64())));
    case 'string':
      return utf8(lengthDelimited(reader, wireType, field.name));
    case 'bytes':
      return Buffer.from(lengthDelimited(reader, wireType, field.name)).toString('base64');
    case 'time':
      return readTime(lengthDelimited(reader, wireType, field.name));
    case 'rawJson':
      return readRawJson(lengthDelimited(reader, wireType, field.name));
  }
}

function utf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

function lengthDelimited(reader: BinaryReader, wireType: WireType, fieldName: string): Uint8Array {
  expectWireType(wireType, WireType.LengthDelimited, fieldName);
  return reader.bytes();
}

function varint(reader: BinaryReader, wireType: WireType, fieldName: string): BinaryReader {
  expectWireType(wireType, WireType.Varint, fieldName);
  return reader;
}

function expectWireType(actual: WireType, expected: WireType, fieldName: string): void {
  if (actual !== expected) {
    throw new ProtobufDecodeError(
      `decoding a protobuf object failed: field "${fieldName}" has wire type ${actual}, expected ${expected}; ` +
        'the body does not match the kind named in its envelope.',
    );
  }
}

function readMapEntry(bytes: Uint8Array, values: 'string' | 'bytes'): Record<string, string> {
  const entry = readMessage(bytes, {
    1: str('key', 'always'),
    2: { name: 'value', kind: { scalar: values }, presence: 'always' },
  });
  return { [String(entry.key)]: String(entry.value) };
}

/** metav1.Time: seconds only (kube drops nanos), RFC 3339 in UTC; an empty message is the zero time. */
function readTime(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return null;
  const { seconds = 0 } = readMessage(bytes, { 1: { name: 'seconds', kind: { scalar: 'int64' } } });
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** metav1.FieldsV1: its `Raw` bytes are JSON, embedded as is. */
function readRawJson(bytes: Uint8Array): unknown {
  const { Raw } = readMessage(bytes, { 1: { name: 'Raw', kind: { scalar: 'bytes' } } });
  return Raw === undefined ? null : JSON.parse(Buffer.from(String(Raw), 'base64').toString('utf-8'));
}

/** Applies Go's `encoding/json` presence rules to the decoded fields, in schema order. */
function goJson(values: Record<string, unknown>, schema: Schema): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const field of Object.values(schema)) {
    const value = values[field.name];
    const presence = field.presence ?? 'omitEmpty';
    if (presence === 'pointer') {
      if (value !== undefined) json[field.name] = value;
    } else if (presence === 'always') {
      json[field.name] = value ?? zeroValue(field);
    } else if (!isEmpty(value, field)) {
      json[field.name] = value;
    }
  }
  return json;
}

function zeroValue(field: Field): unknown {
  const kind = field.kind;
  if ('message' in kind) return goJson({}, kind.message);
  if ('map' in kind || field.repeated) return null;
  return { string: '', bytes: '', bool: false, int64: 0, time: null, rawJson: null }[kind.scalar];
}

/** Go's `omitempty`: zero scalars, empty maps and slices; structs are never empty. */
function isEmpty(value: unknown, field: Field): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return 'map' in field.kind && Object.keys(value as object).length === 0;
}
