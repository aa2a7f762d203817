import { on } from '@kopf/core';

// The function's name is the id: status.create_fn, "Handler 'create_fn' succeeded."
on.create('kopfexamples', function create_fn() {
  return { message: 'hello' };
});

// An explicit id, whatever the function is called.
on.create('kopfexamples', { id: 'welcome' }, () => ({ message: 'welcome' }));

// A named constant is named too: the id is 'announce'.
const announce = () => ({ announced: true });
on.create('kopfexamples', announce);

// Field handlers get the field as a suffix: 'watch_field/spec.field'.
on.field('kopfexamples', { field: 'spec.field' }, function watch_field({ new: fresh }) {
  return { field: fresh };
});

// One function for several kinds: the same id, and it runs once per change even if several match.
function reconcile({ spec }: { spec: Record<string, unknown> }) {
  return { reconciled: Object.keys(spec).length };
}
on.create('kopfexamples', reconcile);
on.update('kopfexamples', reconcile);
on.resume('kopfexamples', reconcile);
