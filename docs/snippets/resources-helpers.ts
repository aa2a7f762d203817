import {
  apiVersionOf,
  parseSelector,
  type Resource,
  type ResourceSelector,
  ResourceSelectorError,
  resourceName,
  sameSelector,
  selectorDescription,
} from '@kopf/core';

const selector: ResourceSelector = parseSelector(['kopf.dev', 'v1', 'kopfexamples']);
console.log(selector); // { group: 'kopf.dev', version: 'v1', name: 'kopfexamples' }
console.log(selectorDescription(selector)); // kopfexamples.v1.kopf.dev
console.log(sameSelector(selector, parseSelector(['kopfexamples.v1.kopf.dev']))); // true

const resource: Resource = {
  group: 'kopf.dev',
  version: 'v1',
  plural: 'kopfexamples',
  kind: 'KopfExample',
  singular: 'kopfexample',
  shortNames: ['kex'],
  categories: [],
  namespaced: true,
  subresources: ['status'],
  verbs: ['get', 'list', 'watch', 'patch'],
  preferred: true,
};
console.log(apiVersionOf(resource)); // kopf.dev/v1
console.log(resourceName(resource)); // kopfexamples.v1.kopf.dev

try {
  parseSelector(['kopfexamples'], { kind: 'KopfExample' });
} catch (error) {
  // Resource selector: ambiguous, it names the resource more than once (kind='KopfExample', name='kopfexamples'); keep one.
  if (error instanceof ResourceSelectorError) console.log(error.message);
}
