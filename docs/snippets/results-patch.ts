import { on, type PatchFn } from '@kopf/core';

on.create('kopfexamples', function set_up({ patch, name }) {
  patch.status.phase = 'Provisioning'; // status.phase, next to status.set_up
  patch.metadata.labels.stage = 'new'; // adds or changes a label
  patch.metadata.annotations['example.com/note'] = null; // null removes it
  patch.spec.owner ??= name ?? 'nobody'; // changes the spec (and so makes an update)
  return { started: new Date().toISOString() }; // status.set_up
});

// What a merge patch cannot express goes into patch.fns: functions over the whole body,
// sent as a JSON Patch guarded by the object's resourceVersion.
const dropFirstItem: PatchFn = (body) => {
  const items = (body.spec?.items as string[] | undefined) ?? [];
  return { ...body, spec: { ...body.spec, items: items.slice(1) } };
};
on.timer('kopfexamples', { interval: 3600, field: 'spec.items' }, function rotate({ patch }) {
  patch.fns.push(dropFirstItem);
});
