/**
 * The YAML manifests `kopf dev` applies before the operator starts: those given with
 * `-f`, or else every `*.yaml`/`*.yml` next to the operator files (so that an
 * example folder with its `crd.yaml` and `obj.yaml` runs as is). CustomResourceDefinitions
 * go first, so the objects of their kinds can be created right after.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { KubernetesObject } from '@kopf/core';
import { parseAllDocuments } from 'yaml';
import { CommandError, oneLine } from './errors.js';
import { display } from './loading.js';

/** Which manifests to apply, and whether they were found rather than named. */
export interface ManifestChoice {
  readonly files: readonly string[];
  readonly discovered: boolean;
}

/** The manifests named with `-f`, else the YAML files in the operator files' directories. */
export function chooseManifests(
  named: readonly string[],
  operatorFiles: readonly string[],
  cwd: string,
): ManifestChoice {
  if (named.length > 0) return { files: named.map((file) => resolve(cwd, file)), discovered: false };
  const directories = [...new Set(operatorFiles.map((file) => dirname(resolve(cwd, file))))];
  const files = directories.flatMap((directory) =>
    readdirSync(directory)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => join(directory, name)),
  );
  return { files, discovered: true };
}

/**
 * The objects of the manifests, CRDs first (then in file order).
 *
 * @throws CommandError naming the file that is missing or not valid YAML.
 */
export function readManifests(files: readonly string[], cwd: string): KubernetesObject[] {
  const objects = files.flatMap((file) => readManifest(file, cwd));
  const isCrd = (object: KubernetesObject): boolean => object.kind === 'CustomResourceDefinition';
  return [...objects.filter(isCrd), ...objects.filter((object) => !isCrd(object))];
}

function readManifest(file: string, cwd: string): KubernetesObject[] {
  if (!existsSync(file)) {
    throw new CommandError(`Reading the manifest ${display(file, cwd)} failed: there is no such file.`);
  }
  const documents = parseAllDocuments(readFileSync(file, 'utf8'));
  const objects: KubernetesObject[] = [];
  for (const document of documents) {
    const [error] = document.errors;
    if (error) {
      throw new CommandError(`Reading the manifest ${display(file, cwd)} failed: ${oneLine(error)}`, {
        cause: error,
      });
    }
    const object = document.toJS() as KubernetesObject | null;
    if (object === null || typeof object !== 'object') continue;
    if (!object.apiVersion || !object.kind) {
      throw new CommandError(
        `Reading the manifest ${display(file, cwd)} failed: a document has no apiVersion or kind; ` +
          'only Kubernetes objects can be applied.',
      );
    }
    objects.push(object);
  }
  return objects;
}
