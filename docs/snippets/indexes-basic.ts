import { type Index, on } from '@kopf/core';

// Type the index once: its id, its values and its keys.
declare module '@kopf/core' {
  interface Indexes {
    podNamesByNamespace?: Index<string, string>;
  }
}

// Every pod contributes its name under its namespace; kept in sync with the cluster.
on.index('pods', function podNamesByNamespace({ namespace, name }) {
  return { [namespace ?? '']: name ?? '' };
});

// Any handler reads it; it is complete before the first resource handler runs.
on.timer('kopfexamples', { interval: 30 }, function report_pods({ indexes, namespace }) {
  const pods = [...(indexes.podNamesByNamespace?.get(namespace ?? '') ?? [])].sort();
  return { pods };
});
