import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { decodeProtobufObject, ProtobufDecodeError } from './protobuf.js';

/**
 * Bodies captured from the real kubectl 1.32 (`create configmap|secret|namespace|serviceaccount`
 * against a logging server), each beside the JSON body kubectl 1.31 sent for the same command.
 */
const CAPTURED: readonly { name: string; protobuf: string; json: string }[] = [
  {
    name: 'kubectl create ConfigMap x',
    protobuf:
      '6b3873000a0f0a0276311209436f6e6669674d617012ef010a110a017812001a0022002a0032003800420012060a0161' +
      '12016212d1010a046c6f6e6712c801767676767676767676767676767676767676767676767676767676767676767676' +
      '767676767676767676767676767676767676767676767676767676767676767676767676767676767676767676767676' +
      '767676767676767676767676767676767676767676767676767676767676767676767676767676767676767676767676' +
      '767676767676767676767676767676767676767676767676767676767676767676767676767676767676767676767676' +
      '76767676767676767676767676767676767676767676761a002200',
    json: '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x","creationTimestamp":null},"data":{"a":"b","long":"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"}}',
  },
  {
    name: 'kubectl create ConfigMap bin',
    protobuf:
      '6b3873000a0f0a0276311209436f6e6669674d61701299020aec010a0362696e12001a0022002a0032003800420062d6' +
      '010a306b75626563746c2e6b756265726e657465732e696f2f6c6173742d6170706c6965642d636f6e66696775726174' +
      '696f6e12a1017b226b696e64223a22436f6e6669674d6170222c2261706956657273696f6e223a227631222c226d6574' +
      '6164617461223a7b226e616d65223a2262696e222c226372656174696f6e54696d657374616d70223a6e756c6c7d2c22' +
      '64617461223a7b22746578742e747874223a2268656c6c6f5c6e227d2c2262696e61727944617461223a7b22626c6f62' +
      '223a22414145432f2f3467596d6c7559584a35227d7d0a12120a08746578742e747874120668656c6c6f0a1a140a0462' +
      '6c6f62120c000102fffe2062696e6172791a002200',
    json: '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"bin","creationTimestamp":null,"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"kind\\":\\"ConfigMap\\",\\"apiVersion\\":\\"v1\\",\\"metadata\\":{\\"name\\":\\"bin\\",\\"creationTimestamp\\":null},\\"data\\":{\\"text.txt\\":\\"hello\\\\n\\"},\\"binaryData\\":{\\"blob\\":\\"AAEC//4gYmluYXJ5\\"}}\\n"}},"data":{"text.txt":"hello\\n"},"binaryData":{"blob":"AAEC//4gYmluYXJ5"}}',
  },
  {
    name: 'kubectl create Secret dev/s1',
    protobuf:
      '6b3873000a0c0a0276311206536563726574123a0a150a02733112001a0364657622002a00320038004200120a0a0270' +
      '77120470407373120d0a0475736572120561646d696e1a064f70617175651a002200',
    json: '{"kind":"Secret","apiVersion":"v1","metadata":{"name":"s1","namespace":"dev","creationTimestamp":null},"data":{"pw":"cEBzcw==","user":"YWRtaW4="},"type":"Opaque"}',
  },
  {
    name: 'kubectl create Secret s2',
    protobuf:
      '6b3873000a0c0a0276311206536563726574123b0a120a02733212001a0022002a0032003800420012140a04626c6f62' +
      '120c000102fffe2062696e6172791a0f6b6f70662e6465762f637573746f6d1a002200',
    json: '{"kind":"Secret","apiVersion":"v1","metadata":{"name":"s2","creationTimestamp":null},"data":{"blob":"AAEC//4gYmluYXJ5"},"type":"kopf.dev/custom"}',
  },
  {
    name: 'kubectl create Secret reg',
    protobuf:
      '6b3873000a0c0a02763112065365637265741291010a130a0372656712001a0022002a00320038004200125a0a112e64' +
      '6f636b6572636f6e6669676a736f6e12457b226175746873223a7b22722e6578616d706c65223a7b22757365726e616d' +
      '65223a2275222c2270617373776f7264223a2270222c2261757468223a2264547077227d7d7d1a1e6b756265726e6574' +
      '65732e696f2f646f636b6572636f6e6669676a736f6e1a002200',
    json: '{"kind":"Secret","apiVersion":"v1","metadata":{"name":"reg","creationTimestamp":null},"data":{".dockerconfigjson":"eyJhdXRocyI6eyJyLmV4YW1wbGUiOnsidXNlcm5hbWUiOiJ1IiwicGFzc3dvcmQiOiJwIiwiYXV0aCI6ImRUcHcifX19"},"type":"kubernetes.io/dockerconfigjson"}',
  },
  {
    name: 'kubectl create Namespace dev',
    protobuf:
      '6b3873000a0f0a02763112094e616d657370616365121b0a130a0364657612001a0022002a0032003800420012001a02' +
      '0a001a002200',
    json: '{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"dev","creationTimestamp":null},"spec":{},"status":{}}',
  },
  {
    name: 'kubectl create Namespace dev2',
    protobuf:
      '6b3873000a0f0a02763112094e616d65737061636512c5010abc010a046465763212001a0022002a0032003800420062' +
      'a5010a306b75626563746c2e6b756265726e657465732e696f2f6c6173742d6170706c6965642d636f6e666967757261' +
      '74696f6e12717b226b696e64223a224e616d657370616365222c2261706956657273696f6e223a227631222c226d6574' +
      '6164617461223a7b226e616d65223a2264657632222c226372656174696f6e54696d657374616d70223a6e756c6c7d2c' +
      '2273706563223a7b7d2c22737461747573223a7b7d7d0a12001a020a001a002200',
    json: '{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"dev2","creationTimestamp":null,"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"kind\\":\\"Namespace\\",\\"apiVersion\\":\\"v1\\",\\"metadata\\":{\\"name\\":\\"dev2\\",\\"creationTimestamp\\":null},\\"spec\\":{},\\"status\\":{}}\\n"}},"spec":{},"status":{}}',
  },
  {
    name: 'kubectl create ServiceAccount dev/sa1',
    protobuf:
      '6b3873000a140a027631120e536572766963654163636f756e7412180a160a0373613112001a0364657622002a003200' +
      '380042001a002200',
    json: '{"kind":"ServiceAccount","apiVersion":"v1","metadata":{"name":"sa1","namespace":"dev","creationTimestamp":null}}',
  },
];

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));

/** Wraps an object message into the `k8s\0` + runtime.Unknown envelope, as client-go does. */
function envelope(apiVersion: string, kind: string, raw: Uint8Array, contentEncoding = ''): Uint8Array {
  const unknown = new BinaryWriter()
    .tag(1, 2)
    .bytes(new BinaryWriter().tag(1, 2).string(apiVersion).tag(2, 2).string(kind).finish())
    .tag(2, 2)
    .bytes(raw)
    .tag(3, 2)
    .string(contentEncoding)
    .tag(4, 2)
    .string('')
    .finish();
  return Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...unknown]);
}

const mapEntry = (key: string, value: string | Uint8Array): Uint8Array => {
  const writer = new BinaryWriter().tag(1, 2).string(key).tag(2, 2);
  return (typeof value === 'string' ? writer.string(value) : writer.bytes(value)).finish();
};

const time = (seconds: number): Uint8Array => new BinaryWriter().tag(1, 0).int64(seconds).finish();

describe('decodeProtobufObject on bodies captured from kubectl 1.32', () => {
  it.each(CAPTURED)('$name decodes to the JSON kubectl 1.31 sent', ({ protobuf, json }) => {
    expect(decodeProtobufObject(hex(protobuf))).toEqual(JSON.parse(json));
  });
});

describe('decodeProtobufObject on every ObjectMeta field an object may carry', () => {
  const ownerReference = new BinaryWriter()
    .tag(1, 2)
    .string('KopfExample')
    .tag(3, 2)
    .string('kopf-example-1')
    .tag(4, 2)
    .string('uid-1')
    .tag(5, 2)
    .string('kopf.dev/v1')
    .tag(6, 0)
    .bool(true)
    .tag(7, 0)
    .bool(false)
    .finish();
  const managedFields = new BinaryWriter()
    .tag(1, 2)
    .string('kubectl')
    .tag(2, 2)
    .string('Update')
    .tag(3, 2)
    .string('v1')
    .tag(4, 2)
    .bytes(time(1_700_000_000))
    .tag(6, 2)
    .string('FieldsV1')
    .tag(7, 2)
    .bytes(new BinaryWriter().tag(1, 2).bytes(Buffer.from('{"f:data":{}}')).finish())
    .finish();
  const metadata = new BinaryWriter()
    .tag(2, 2)
    .string('cm-')
    .tag(3, 2)
    .string('dev')
    .tag(5, 2)
    .string('uid-0')
    .tag(6, 2)
    .string('42')
    .tag(7, 0)
    .int64(3)
    .tag(8, 2)
    .bytes(time(1_700_000_000))
    .tag(9, 2)
    .bytes(time(1_700_000_060))
    .tag(10, 0)
    .int64(0)
    .tag(11, 2)
    .bytes(mapEntry('app', 'demo'))
    .tag(11, 2)
    .bytes(mapEntry('tier', 'web'))
    .tag(12, 2)
    .bytes(mapEntry('note', ''))
    .tag(13, 2)
    .bytes(ownerReference)
    .tag(14, 2)
    .string('kopf.dev/finalizer')
    .tag(14, 2)
    .string('other/finalizer')
    .tag(17, 2)
    .bytes(managedFields)
    .tag(99, 2)
    .string('an unknown field is skipped')
    .finish();

  it('decodes generateName, labels, annotations, owners, finalizers, times and managed fields', () => {
    const raw = new BinaryWriter()
      .tag(1, 2)
      .bytes(metadata)
      .tag(2, 2)
      .bytes(mapEntry('k', 'v'))
      .tag(4, 0)
      .bool(true)
      .finish();
    expect(decodeProtobufObject(envelope('v1', 'ConfigMap', raw))).toEqual({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: {
        generateName: 'cm-',
        namespace: 'dev',
        uid: 'uid-0',
        resourceVersion: '42',
        generation: 3,
        creationTimestamp: '2023-11-14T22:13:20Z',
        deletionTimestamp: '2023-11-14T22:14:20Z',
        deletionGracePeriodSeconds: 0,
        labels: { app: 'demo', tier: 'web' },
        annotations: { note: '' },
        ownerReferences: [
          {
            apiVersion: 'kopf.dev/v1',
            kind: 'KopfExample',
            name: 'kopf-example-1',
            uid: 'uid-1',
            controller: true,
            blockOwnerDeletion: false,
          },
        ],
        finalizers: ['kopf.dev/finalizer', 'other/finalizer'],
        managedFields: [
          {
            manager: 'kubectl',
            operation: 'Update',
            apiVersion: 'v1',
            time: '2023-11-14T22:13:20Z',
            fieldsType: 'FieldsV1',
            fieldsV1: { 'f:data': {} },
          },
        ],
      },
      data: { k: 'v' },
      immutable: true,
    });
  });

  it('keeps an owner reference’s required fields even when they are empty', () => {
    const raw = new BinaryWriter()
      .tag(1, 2)
      .bytes(new BinaryWriter().tag(1, 2).string('sa').tag(13, 2).bytes(new Uint8Array()).finish())
      .finish();
    const decoded = decodeProtobufObject(envelope('v1', 'ServiceAccount', raw));
    expect(decoded.metadata).toEqual({
      name: 'sa',
      creationTimestamp: null,
      ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }],
    });
  });
});

describe('decodeProtobufObject on the fields kubectl create leaves out', () => {
  it('decodes Secret stringData, immutable:false and bytes data as base64', () => {
    const raw = new BinaryWriter()
      .tag(1, 2)
      .bytes(new BinaryWriter().tag(1, 2).string('s').finish())
      .tag(2, 2)
      .bytes(mapEntry('bin', Uint8Array.from([0, 255, 16])))
      .tag(3, 2)
      .string('Opaque')
      .tag(4, 2)
      .bytes(mapEntry('plain', 'text'))
      .tag(5, 0)
      .bool(false)
      .finish();
    expect(decodeProtobufObject(envelope('v1', 'Secret', raw))).toEqual({
      kind: 'Secret',
      apiVersion: 'v1',
      metadata: { name: 's', creationTimestamp: null },
      data: { bin: 'AP8Q' },
      stringData: { plain: 'text' },
      type: 'Opaque',
      immutable: false,
    });
  });

  it('decodes Namespace finalizers and conditions, and ServiceAccount references', () => {
    const condition = new BinaryWriter().tag(1, 2).string('Ready').tag(2, 2).string('True').finish();
    const namespace = new BinaryWriter()
      .tag(2, 2)
      .bytes(new BinaryWriter().tag(1, 2).string('kubernetes').finish())
      .tag(3, 2)
      .bytes(new BinaryWriter().tag(1, 2).string('Active').tag(2, 2).bytes(condition).finish())
      .finish();
    expect(decodeProtobufObject(envelope('v1', 'Namespace', namespace))).toEqual({
      kind: 'Namespace',
      apiVersion: 'v1',
      metadata: { creationTimestamp: null },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: null }] },
    });

    const account = new BinaryWriter()
      .tag(2, 2)
      .bytes(new BinaryWriter().tag(3, 2).string('token').tag(1, 2).string('Secret').finish())
      .tag(3, 2)
      .bytes(new BinaryWriter().tag(1, 2).string('registry').finish())
      .tag(4, 0)
      .bool(false)
      .finish();
    expect(decodeProtobufObject(envelope('v1', 'ServiceAccount', account))).toEqual({
      kind: 'ServiceAccount',
      apiVersion: 'v1',
      metadata: { creationTimestamp: null },
      secrets: [{ kind: 'Secret', name: 'token' }],
      imagePullSecrets: [{ name: 'registry' }],
      automountServiceAccountToken: false,
    });
  });
});

describe('decodeProtobufObject refusing what it cannot decode', () => {
  const configMap = hex(CAPTURED[0]!.protobuf);

  it('refuses a body without the k8s magic', () => {
    expect(() => decodeProtobufObject(Buffer.from('{"kind":"ConfigMap"}'))).toThrow(ProtobufDecodeError);
    expect(() => decodeProtobufObject(new Uint8Array())).toThrow(/does not start with the Kubernetes magic/);
  });

  it('refuses a truncated body, naming the failure', () => {
    const error = captureError(() => decodeProtobufObject(configMap.subarray(0, 40)));
    expect(error).toBeInstanceOf(ProtobufDecodeError);
    expect(error.message).toMatch(/malformed/);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('refuses kinds kubectl does not send as protobuf, and names the fix', () => {
    const pod = envelope('v1', 'Pod', new Uint8Array());
    expect(() => decodeProtobufObject(pod)).toThrow(
      /kind "Pod" of "v1" is not supported.*send this object as JSON/,
    );
    const wrongGroup = envelope('apps/v1', 'ConfigMap', new Uint8Array());
    expect(() => decodeProtobufObject(wrongGroup)).toThrow(ProtobufDecodeError);
  });

  it('refuses an encoded payload and a field of the wrong wire type', () => {
    expect(() => decodeProtobufObject(envelope('v1', 'ConfigMap', new Uint8Array(), 'gzip'))).toThrow(
      /content encoding "gzip"/,
    );
    const wrongType = new BinaryWriter().tag(4, 2).string('yes').finish();
    expect(() => decodeProtobufObject(envelope('v1', 'ConfigMap', wrongType))).toThrow(
      /"immutable" has wire type 2/,
    );
  });
});

function captureError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the action to throw');
}
