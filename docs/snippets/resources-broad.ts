import { EVERYTHING, type EventKwargs, on, type Resource } from '@kopf/core';

// Every resource of every group (core Events excluded).
on.event(EVERYTHING, ({ resource, type, name }) => {
  console.log(`${type} ${resource.plural}/${name}`);
});

// Every resource of one group.
on.event('kopf.dev', EVERYTHING, { id: 'kopfDevEvents' }, ({ resource, name }: EventKwargs) => {
  console.log(`kopf.dev: ${resource.kind} ${name}`);
});

// Every resource in a category, as `kubectl get all` uses the category "all".
on.event({ category: 'all' }, { id: 'everythingInAll' }, ({ resource, name }) => {
  console.log(`in "all": ${resource.plural}/${name}`);
});

// Any rule of your own over the discovered resources.
function isOurs(resource: Resource): boolean {
  return resource.group.endsWith('.example.com') && resource.namespaced;
}
on.event(isOurs, ({ resource, name }) => console.log(`ours: ${resource.plural}/${name}`));
