/**
 * The operator's lifecycle events, which a host service subscribes to with
 * `operator.on(...)`: started, ready, paused/resumed, each handler's success or
 * failure, objects that got stuck, daemons and timers starting and stopping,
 * stopping/stopped, and errors outside of handlers. The engine's telemetry reports
 * become these events (and metrics); a listener that throws is logged, never
 * allowed to break the engine.
 */
import type { Logger } from '@kopf/core';
import type { EventEmitter } from 'eventemitter3';
import type { Metrics } from './metrics.js';
import type { DaemonReport, HandlerReport, StuckReport, Telemetry } from './telemetry.js';

/** Lifecycle events a host service can subscribe to. */
export interface OperatorEvents {
  /** Connected, startup handlers done, watching begun. */
  started: [];
  /** Every watched resource has been listed once. */
  ready: [];
  /** Peering paused the operator (watchers and daemons stop); the reasons say for whom. */
  paused: [reasons: string[]];
  /** The pause is over; watchers list anew and daemons start again. */
  resumed: [];
  /** A handler attempt succeeded (any kind: changing, event-less kinds, daemons, timers, indexers). */
  handlerSucceeded: [report: HandlerReport];
  /** A handler attempt failed (`report.outcome`: `temporary` will be retried, `permanent` will not). */
  handlerFailed: [report: HandlerReport];
  /** An object keeps failing: one handler failed `stuckAfter` times in a row, or processing is throttled. */
  objectStuck: [report: StuckReport];
  daemonStarted: [report: DaemonReport];
  /** `report.reason` says why (`undefined`: it exited on its own). */
  daemonStopped: [report: DaemonReport];
  stopping: [];
  stopped: [];
  /** Something failed outside of any handler (a watcher, an activity). */
  error: [error: unknown];
}

/** Turns the engine's reports into the operator's events and metrics. */
export function operatorTelemetry(
  emitter: EventEmitter<OperatorEvents>,
  metrics: () => Metrics | undefined,
  logger: Logger,
): Telemetry {
  const emit = <E extends keyof OperatorEvents>(event: E, ...args: OperatorEvents[E]): void => {
    try {
      (emitter.emit as (event: E, ...args: OperatorEvents[E]) => boolean)(event, ...args);
    } catch (error) {
      logger.error(`A listener of the operator's '${event}' event has failed.`, error);
    }
  };
  return {
    handlerDone: (report) => {
      metrics()?.handlerDone(report);
      if (report.outcome === 'success') emit('handlerSucceeded', report);
      else emit('handlerFailed', report);
    },
    objectStuck: (report) => {
      metrics()?.objectStuck(report);
      emit('objectStuck', report);
    },
    daemonStarted: (report) => emit('daemonStarted', report),
    daemonStopped: (report) => emit('daemonStopped', report),
  };
}
