/**
 * @packageDocumentation
 * The `kopf` command: run, develop against a fake cluster, and generate manifests.
 * Start from `main`, or use the `kopf` binary.
 */

export type { KnownResource } from './builtin-resources.js';
export type { CrdOptions } from './crd-manifests.js';
export { crdManifest, pluralize } from './crd-manifests.js';
export type { DeploymentOptions } from './deployment-manifests.js';
export { deploymentManifest } from './deployment-manifests.js';
export type { Output } from './main.js';
export { main } from './main.js';
export type { RbacManifestOptions } from './rbac-manifests.js';
export { rbacManifests } from './rbac-manifests.js';
export type {
  NamespaceScope,
  NeedsOptions,
  OperatorNeeds,
  PolicyRule,
  RbacRules,
  ServedResource,
} from './rbac-rules.js';
export { operatorNeeds, rbacRules } from './rbac-rules.js';
export type { ResolvedResource } from './resource-catalog.js';
export { knownResourcesOf, ResourceCatalog, ResourceResolutionError } from './resource-catalog.js';
export { version } from './version.js';
