import type { FakeApiServer } from '@kopf/testing';

export function makeTheApiFlaky(server: FakeApiServer): void {
  // The next two PATCHes of kopfexamples fail with 429 and Retry-After: 1.
  server.faults.failNext({ count: 2, code: 429, retryAfter: 1, verb: 'patch', resource: 'kopfexamples' });
  // Every list request (or `count` of them) is answered 500 ms late.
  server.faults.delay({ ms: 500, verb: 'list' });
  // Open watch streams end now (`abrupt: true` cuts the TCP connection instead).
  server.faults.dropWatches({ resource: 'kopfexamples' });
  // Watch streams stay open but silent until dropped: what a dead load balancer does.
  server.faults.stallWatches({ resource: 'kopfexamples' });
  // Older resource versions are forgotten: resuming watches get 410 Gone and must re-list.
  server.faults.compactHistory();
  // A BOOKMARK now on every watch that allows them.
  server.faults.sendBookmarks();
  // Forget the pending failures and delays.
  server.faults.reset();
}

export function countTheCalls(server: FakeApiServer): void {
  server.counters.reset();
  // … let the operator work …
  const all = server.counters.get({ verb: 'patch', resource: 'kopfexamples' }); // main and /status
  const main = server.counters.get({ verb: 'patch', resource: 'kopfexamples', subresource: '' });
  const status = server.counters.get({ verb: 'patch', resource: 'kopfexamples', subresource: 'status' });
  console.log(all === main + status, server.counters.snapshot()); // { 'patch kopfexamples.kopf.dev/status': 1, … }
}
