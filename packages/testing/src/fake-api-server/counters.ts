/**
 * Request counters by verb, group, resource and subresource: benchmarks and API-call
 * budgets in tests read them (`server.counters.get({ verb: 'patch', resource: 'kopfexamples' })`).
 * Non-resource requests count under their lower-cased HTTP method and their path.
 */
import type { RequestInfo } from './request-info.js';

/** A filter: omitted fields match anything; `subresource: ''` means the main resource only. */
export interface CounterFilter {
  readonly verb?: string;
  readonly group?: string;
  readonly resource?: string;
  readonly subresource?: string;
  /** For non-resource requests: the exact path (e.g. `/version`). */
  readonly path?: string;
}

interface CounterKey {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource: string;
  readonly path: string;
}

function keyOf(info: RequestInfo): CounterKey {
  if (info.kind === 'nonresource')
    return { verb: info.verb, group: '', resource: '', subresource: '', path: info.path };
  return {
    verb: info.verb,
    group: info.group,
    resource: info.resource,
    subresource: info.subresource,
    path: '',
  };
}

function label(key: CounterKey): string {
  if (key.path) return `${key.verb} ${key.path}`;
  const resource = key.group ? `${key.resource}.${key.group}` : key.resource;
  return `${key.verb} ${resource}${key.subresource ? `/${key.subresource}` : ''}`;
}

function matches(key: CounterKey, filter: CounterFilter): boolean {
  return (
    (filter.verb === undefined || filter.verb === key.verb) &&
    (filter.group === undefined || filter.group === key.group) &&
    (filter.resource === undefined || filter.resource === key.resource) &&
    (filter.subresource === undefined || filter.subresource === key.subresource) &&
    (filter.path === undefined || filter.path === key.path)
  );
}

/** The request counters of one server. */
export class RequestCounters {
  private readonly counts = new Map<string, { key: CounterKey; count: number }>();

  /** Counts one request. */
  record(info: RequestInfo): void {
    const key = keyOf(info);
    const name = label(key);
    const entry = this.counts.get(name) ?? { key, count: 0 };
    entry.count += 1;
    this.counts.set(name, entry);
  }

  /** The number of requests matching the filter (all requests without one). */
  get(filter: CounterFilter = {}): number {
    let total = 0;
    for (const { key, count } of this.counts.values()) if (matches(key, filter)) total += count;
    return total;
  }

  /** All counts, keyed like `"patch kopfexamples.kopf.dev/status"` or `"get /version"`. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].map(([name, entry]) => [name, entry.count]));
  }

  /** Forgets all counts. */
  reset(): void {
    this.counts.clear();
  }
}
