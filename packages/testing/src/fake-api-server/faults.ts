/**
 * Fault injection for tests of clients' resilience: fail the next N matching
 * requests (500/503/429 with Retry-After), delay responses, drop or stall open
 * watch streams, compact the history so resumes get 410, and send bookmarks now.
 */
import type { RequestInfo } from './request-info.js';
import { internalError, type StatusError, serviceUnavailable, tooManyRequests } from './statuses.js';
import type { WatchStream } from './watch-streams.js';

/** Which requests a fault applies to; omitted fields match anything. */
export interface RequestFilter {
  readonly verb?: string;
  readonly group?: string;
  readonly resource?: string;
  readonly subresource?: string;
}

/** `failNext` options. */
export interface FailureFault extends RequestFilter {
  /** How many matching requests fail. */
  readonly count: number;
  readonly code: 500 | 503 | 429;
  /** Seconds for `Retry-After` (and `details.retryAfterSeconds`). */
  readonly retryAfter?: number;
}

/** `delay` options. */
export interface DelayFault extends RequestFilter {
  readonly ms: number;
  /** How many matching requests are delayed; all of them when omitted. */
  readonly count?: number;
}

/** Which watch streams a stream fault applies to. */
export interface WatchFilter {
  readonly group?: string;
  readonly resource?: string;
  readonly namespace?: string;
}

/** Options of `dropWatches`. */
export interface DropOptions extends WatchFilter {
  /** Cut the TCP connection instead of ending the response cleanly. */
  readonly abrupt?: boolean;
}

/** What the fault layer needs from the server. */
export interface FaultHost {
  readonly watches: () => Iterable<{ readonly stream: WatchStream; readonly bookmark: () => void }>;
  readonly compact: () => void;
}

function requestMatches(info: RequestInfo, filter: RequestFilter): boolean {
  const group = info.kind === 'resource' ? info.group : undefined;
  const resource = info.kind === 'resource' ? info.resource : undefined;
  const subresource = info.kind === 'resource' ? info.subresource : undefined;
  return (
    (filter.verb === undefined || filter.verb === info.verb) &&
    (filter.group === undefined || filter.group === group) &&
    (filter.resource === undefined || filter.resource === resource) &&
    (filter.subresource === undefined || filter.subresource === subresource)
  );
}

function watchMatches(stream: WatchStream, filter: WatchFilter | undefined): boolean {
  const target = stream.target;
  return (
    (filter?.group === undefined || filter.group === target.group) &&
    (filter?.resource === undefined || filter.resource === target.resource) &&
    (filter?.namespace === undefined || filter.namespace === target.namespace)
  );
}

function failureFor(fault: FailureFault): StatusError {
  if (fault.code === 429) return tooManyRequests(fault.retryAfter ?? 1);
  if (fault.code === 503)
    return serviceUnavailable('the server is currently unable to handle the request', fault.retryAfter);
  const error = internalError('injected fault');
  if (fault.retryAfter)
    (error.status.details as { retryAfterSeconds?: number }).retryAfterSeconds = fault.retryAfter;
  return error;
}

/** The fault controls of one server (`server.faults`). */
export class Faults {
  private failures: { fault: FailureFault; left: number }[] = [];
  private delays: { fault: DelayFault; left: number }[] = [];

  constructor(private readonly host: FaultHost) {}

  /** Closes open watch streams now (cleanly, or abruptly with `abrupt: true`). */
  dropWatches(filter?: DropOptions): number {
    let dropped = 0;
    for (const { stream } of [...this.host.watches()]) {
      if (!watchMatches(stream, filter)) continue;
      dropped += 1;
      if (filter?.abrupt) stream.destroy();
      else stream.end();
    }
    return dropped;
  }

  /** Answers the next `count` matching requests with the given error. */
  failNext(fault: FailureFault): void {
    this.failures.push({ fault, left: fault.count });
  }

  /** Delays matching responses by `ms`. */
  delay(fault: DelayFault): void {
    this.delays.push({ fault, left: fault.count ?? Number.POSITIVE_INFINITY });
  }

  /** Forgets the watch history: resuming from any older resource version gets 410 Expired. */
  compactHistory(): void {
    this.host.compact();
  }

  /** Keeps matching watch streams open but sends nothing more on them (until dropped). */
  stallWatches(filter?: WatchFilter): number {
    let stalled = 0;
    for (const { stream } of this.host.watches()) {
      if (!watchMatches(stream, filter)) continue;
      stream.stall();
      stalled += 1;
    }
    return stalled;
  }

  /** Sends a BOOKMARK now on every watch that allows them. */
  sendBookmarks(): void {
    for (const { bookmark } of this.host.watches()) bookmark();
  }

  /** Removes pending failures and delays (stalled streams stay stalled). */
  reset(): void {
    this.failures = [];
    this.delays = [];
  }

  /** The delay for this request (consumes one use of each matching delay). */
  delayFor(info: RequestInfo): number {
    let total = 0;
    for (const entry of this.delays) {
      if (entry.left <= 0 || !requestMatches(info, entry.fault)) continue;
      entry.left -= 1;
      total += entry.fault.ms;
    }
    this.delays = this.delays.filter((entry) => entry.left > 0);
    return total;
  }

  /** The injected failure for this request, if any (consumes one use). */
  failureFor(info: RequestInfo): StatusError | undefined {
    const entry = this.failures.find(
      (candidate) => candidate.left > 0 && requestMatches(info, candidate.fault),
    );
    if (!entry) return undefined;
    entry.left -= 1;
    this.failures = this.failures.filter((candidate) => candidate.left > 0);
    return failureFor(entry.fault);
  }
}
