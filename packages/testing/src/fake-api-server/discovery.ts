/**
 * Discovery documents built from the served types: legacy (`/api`, `/api/v1`, `/apis`,
 * `/apis/G`, `/apis/G/V`) and aggregated (`APIGroupDiscoveryList`, apidiscovery v2 and
 * v2beta1), in the shapes client-go and client-node parse. Every group-version listed
 * here is served, so kubectl's parallel per-GV requests all succeed.
 */
import { createHash } from 'node:crypto';
import { CONNECT_KINDS } from './connecting.js';
import type { ResourceType } from './kinds.js';
import type { JsonObject } from './objects.js';
import type { ResourceRegistry } from './registry.js';

const SUBRESOURCE_VERBS: Readonly<Record<string, readonly string[]>> = {
  status: ['get', 'patch', 'update'],
  finalize: ['update'],
  exec: ['create', 'get'],
  attach: ['create', 'get'],
  portforward: ['create', 'get'],
};

/** The kind a subresource answers with: the resource's, or the options kind of a connect subresource. */
function subresourceKind(type: ResourceType, subresource: string): string {
  return CONNECT_KINDS[subresource] ?? type.kind;
}

/** The `storageVersionHash` discovery advertises: stable per group/version/kind. */
export function storageVersionHash(type: ResourceType): string {
  const [group, version] = type.storageApiVersion.includes('/')
    ? type.storageApiVersion.split('/')
    : ['', type.storageApiVersion];
  return createHash('sha256')
    .update(`${group}/${version}/${type.kind}`)
    .digest()
    .subarray(0, 8)
    .toString('base64');
}

function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** `GET /api`. */
export function apiVersions(serverAddress: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(name: string, versions: readonly string[]): JsonObject {
  const entries = versions.map((version) => ({ groupVersion: groupVersion(name, version), version }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

/** `GET /apis`. */
export function apiGroupList(registry: ResourceRegistry): JsonObject {
  const groups = registry.groups().filter((group) => group.name !== '');
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((group) => groupEntry(group.name, group.versions)),
  };
}

/** `GET /apis/G`, or undefined if the group is not served. */
export function apiGroup(registry: ResourceRegistry, name: string): JsonObject | undefined {
  const group = registry.groups().find((entry) => entry.name === name && name !== '');
  return group
    ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group.name, group.versions) }
    : undefined;
}

function legacyResources(type: ResourceType): JsonObject[] {
  const main: JsonObject = {
    name: type.plural,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: [...type.verbs],
    ...(type.shortNames.length ? { shortNames: [...type.shortNames] } : {}),
    ...(type.categories.length ? { categories: [...type.categories] } : {}),
    storageVersionHash: storageVersionHash(type),
  };
  const subresources = type.subresources.map((subresource) => ({
    name: `${type.plural}/${subresource}`,
    singularName: '',
    namespaced: type.namespaced,
    kind: subresourceKind(type, subresource),
    verbs: [...(SUBRESOURCE_VERBS[subresource] ?? [])],
  }));
  return [main, ...subresources];
}

/** `GET /api/v1` or `/apis/G/V`, or undefined if not served. */
export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
): JsonObject | undefined {
  const types = registry.typesOf(group, version);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion(group, version),
    resources: types.flatMap(legacyResources),
  };
}

function aggregatedResource(type: ResourceType): JsonObject {
  const responseKind = { group: type.group, version: type.version, kind: type.kind };
  return {
    resource: type.plural,
    responseKind,
    scope: type.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: type.singular,
    verbs: [...type.verbs],
    ...(type.shortNames.length ? { shortNames: [...type.shortNames] } : {}),
    ...(type.categories.length ? { categories: [...type.categories] } : {}),
    ...(type.subresources.length
      ? {
          subresources: type.subresources.map((subresource) => ({
            subresource,
            responseKind: { ...responseKind, kind: subresourceKind(type, subresource) },
            verbs: [...(SUBRESOURCE_VERBS[subresource] ?? [])],
          })),
        }
      : {}),
  };
}

/** The aggregated discovery document of `/api` (core only) or `/apis` (all other groups). */
export function aggregatedDiscovery(
  registry: ResourceRegistry,
  core: boolean,
  version: 'v2' | 'v2beta1',
): JsonObject {
  const groups = registry.groups().filter((group) => (group.name === '') === core);
  const items = groups.map((group) => ({
    metadata: { name: group.name, creationTimestamp: null },
    versions: group.versions.map((v) => ({
      version: v,
      resources: registry.typesOf(group.name, v).map(aggregatedResource),
      freshness: 'Current',
    })),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}
