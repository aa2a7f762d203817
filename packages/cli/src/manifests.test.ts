import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandError } from './errors.js';
import { chooseManifests, readManifests } from './manifests.js';

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'kopf-cli-manifests-'));
  await writeFile(join(directory, 'operator.ts'), '');
  await writeFile(
    join(directory, 'obj.yaml'),
    'apiVersion: kopf.dev/v1\nkind: KopfExample\nmetadata: {name: a}\n',
  );
  await writeFile(
    join(directory, 'more.yml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n---\n' +
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: c}\n---\n',
  );
  await writeFile(join(directory, 'broken.yaml'), 'kind: [unterminated\n');
  await writeFile(join(directory, 'notes.yaml'), 'just: data\n');
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('chooseManifests', () => {
  it('takes the named files when there are any', () => {
    expect(chooseManifests(['x.yaml'], ['operator.ts'], directory)).toEqual({
      files: [join(directory, 'x.yaml')],
      discovered: false,
    });
  });

  it('finds the *.yaml and *.yml files next to the operator files, sorted', () => {
    expect(chooseManifests([], ['operator.ts'], directory)).toEqual({
      files: ['broken.yaml', 'more.yml', 'notes.yaml', 'obj.yaml'].map((name) => join(directory, name)),
      discovered: true,
    });
  });
});

describe('readManifests', () => {
  it('puts CRDs first, then the objects in file order, skipping empty documents', () => {
    const objects = readManifests([join(directory, 'obj.yaml'), join(directory, 'more.yml')], directory);
    expect(objects.map((object) => object.metadata?.name)).toEqual(['c', 'a', 'b']);
  });

  it('names a missing file, a YAML error and a document that is not a Kubernetes object', () => {
    const read = (name: string) => () => readManifests([join(directory, name)], directory);
    expect(read('nosuch.yaml')).toThrow(
      new CommandError('Reading the manifest nosuch.yaml failed: there is no such file.'),
    );
    expect(read('broken.yaml')).toThrow(/^Reading the manifest broken\.yaml failed: /);
    expect(read('notes.yaml')).toThrow(/notes\.yaml failed: a document has no apiVersion or kind/);
  });
});
