import { readFile } from 'node:fs/promises';
import {
  crdManifest,
  deploymentManifest,
  knownResourcesOf,
  operatorNeeds,
  ResourceCatalog,
  rbacManifests,
  rbacRules,
} from '@kopf/cli';
import { getDefaultRegistry } from '@kopf/core';
import { parseAllDocuments } from 'yaml';
import './deployment-probes.js'; // the operator: its on.* calls fill the default registry

// What `kopf generate rbac operator.ts --crd crd.yaml --name my-operator --operator-namespace operators` prints:
const crds = parseAllDocuments(await readFile('crd.yaml', 'utf8')).map((doc) => doc.toJS());
const catalog = new ResourceCatalog(knownResourcesOf(crds));
const needs = operatorNeeds(getDefaultRegistry(), catalog, {
  namespaces: { kind: 'cluster' },
  peering: true,
});
const rbac = rbacManifests(rbacRules(needs), { name: 'my-operator', namespace: 'operators' });

// `kopf generate deployment` and `kopf generate crd`:
const deployment = deploymentManifest({
  name: 'my-operator',
  namespace: 'operators',
  image: 'registry.example.com/my-operator:1.0',
  runArgs: ['operator.ts', '--all-namespaces'],
  liveness: 'http://0.0.0.0:8080/healthz',
});
const crd = crdManifest({ group: 'example.com', kind: 'Shop', shortNames: ['shp'] });
console.log(rbac.length, deployment.kind, crd.metadata?.name); // 3 Deployment shops.example.com
