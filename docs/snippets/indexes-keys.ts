import { type Index, on } from '@kopf/core';

declare module '@kopf/core' {
  interface Indexes {
    podPhases?: Index<string, readonly [string, string]>;
    runningPods?: Index<string>;
  }
}

// A Map allows any key; arrays are composite keys, compared by value.
on.index('pods', function podPhases({ namespace, name, status }) {
  return new Map([[[namespace ?? '', name ?? ''] as const, String(status.phase ?? 'Unknown')]]);
});

// A value that is not a plain object or a Map is stored under the key null.
// Filters decide which objects contribute: a pod that stops running is removed.
on.index('pods', { field: 'status.phase', value: 'Running' }, function runningPods({ name, spec }) {
  return `${name} on ${String(spec.nodeName ?? 'no node')}`;
});

on.event('pods', function describe_pod({ indexes, namespace, name, logger }) {
  const phase = indexes.podPhases?.get([namespace ?? '', name ?? '']);
  const running = indexes.runningPods?.get(null)?.size ?? 0;
  logger.debug(`phase ${[...(phase ?? [])].join()}; ${running} pods running in the cluster`);
});
