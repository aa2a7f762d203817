/**
 * The built-in Kubernetes resources operators commonly serve, as discovery would
 * describe them (group, plural, kind, short names, scope, status subresource), so
 * that `kopf generate rbac` can resolve `on.event('pods', …)` without a cluster.
 * Custom resources come from their CRD manifests instead (`--crd`).
 */

/** A resource known without a cluster. */
export interface KnownResource {
  readonly group: string;
  /** Versions served, preferred first. */
  readonly versions: readonly string[];
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly namespaced: boolean;
  /** The versions that have the status subresource. */
  readonly statusVersions: readonly string[];
}

type Row = readonly [
  group: string,
  version: string,
  plural: string,
  kind: string,
  short: string,
  flags: string,
];

// flags: n = namespaced, s = has /status
const ROWS: readonly Row[] = [
  ['', 'v1', 'pods', 'Pod', 'po', 'ns'],
  ['', 'v1', 'services', 'Service', 'svc', 'ns'],
  ['', 'v1', 'configmaps', 'ConfigMap', 'cm', 'n'],
  ['', 'v1', 'secrets', 'Secret', '', 'n'],
  ['', 'v1', 'serviceaccounts', 'ServiceAccount', 'sa', 'n'],
  ['', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', 'pvc', 'ns'],
  ['', 'v1', 'endpoints', 'Endpoints', 'ep', 'n'],
  ['', 'v1', 'events', 'Event', 'ev', 'n'],
  ['', 'v1', 'replicationcontrollers', 'ReplicationController', 'rc', 'ns'],
  ['', 'v1', 'resourcequotas', 'ResourceQuota', 'quota', 'ns'],
  ['', 'v1', 'limitranges', 'LimitRange', 'limits', 'n'],
  ['', 'v1', 'namespaces', 'Namespace', 'ns', 's'],
  ['', 'v1', 'nodes', 'Node', 'no', 's'],
  ['', 'v1', 'persistentvolumes', 'PersistentVolume', 'pv', 's'],
  ['apps', 'v1', 'deployments', 'Deployment', 'deploy', 'ns'],
  ['apps', 'v1', 'statefulsets', 'StatefulSet', 'sts', 'ns'],
  ['apps', 'v1', 'daemonsets', 'DaemonSet', 'ds', 'ns'],
  ['apps', 'v1', 'replicasets', 'ReplicaSet', 'rs', 'ns'],
  ['batch', 'v1', 'jobs', 'Job', '', 'ns'],
  ['batch', 'v1', 'cronjobs', 'CronJob', 'cj', 'ns'],
  ['autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', 'hpa', 'ns'],
  ['policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', 'pdb', 'ns'],
  ['networking.k8s.io', 'v1', 'ingresses', 'Ingress', 'ing', 'ns'],
  ['networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', 'netpol', 'n'],
  ['coordination.k8s.io', 'v1', 'leases', 'Lease', '', 'n'],
  ['events.k8s.io', 'v1', 'events', 'Event', 'ev', 'n'],
  ['rbac.authorization.k8s.io', 'v1', 'roles', 'Role', '', 'n'],
  ['rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', '', 'n'],
  ['rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', '', ''],
  ['rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', '', ''],
  ['storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', 'sc', ''],
  ['apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', 'crd,crds', 's'],
];

/** The built-in resources kopf-ts knows by name. */
export const BUILTIN_RESOURCES: readonly KnownResource[] = ROWS.map(
  ([group, version, plural, kind, short, flags]) => ({
    group,
    versions: [version],
    plural,
    singular: kind.toLowerCase(),
    kind,
    shortNames: short ? short.split(',') : [],
    categories: [],
    namespaced: flags.includes('n'),
    statusVersions: flags.includes('s') ? [version] : [],
  }),
);
