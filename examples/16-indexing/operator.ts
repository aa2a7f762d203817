/**
 * Indexes (Kopf's example 16): in-memory indexes of pods kept in sync with the
 * cluster, read by a timer on the KopfExample objects, which reports the pods of
 * its namespace into its status. Handlers start only once the indexes are complete.
 */
import { type Index, on } from '@kopf/core';

declare module '@kopf/core' {
  interface Indexes {
    podsByNamespace?: Index<string, string>;
  }
}

on.index('pods', function podsByNamespace({ namespace, name }) {
  return { [namespace ?? '']: name ?? '' };
});

on.timer('kopfexamples', { interval: 0.3 }, function report_pods({ indexes, namespace }) {
  const pods = [...(indexes.podsByNamespace?.get(namespace ?? '') ?? [])].sort();
  return { pods };
});
