/**
 * A timer's loop (Kopf's `_timer`): after the initial delay, call the function
 * every `interval` seconds — from the end of one run to the start of the next, or
 * on a fixed grid when `sharp`. With `idle`, only once the object has not changed
 * essentially for that long (and, without an interval, once per such quiet spell).
 * Failures are retried after their delay instead of the interval; each success
 * starts the retry count afresh. No interval and no idle: the timer runs once.
 */
import type { TimerHandler } from '@kopf/core';
import { attempt, freshState, sleepInitialDelay, type TaskRun } from './daemons.js';

/** Runs a timer until its stopper is set (or once, without interval and idle). */
export async function runTimer(run: TaskRun): Promise<void> {
  const handler = run.handler as TimerHandler;
  const { stopper, memory } = run;
  const clock = run.context.clock;
  await sleepInitialDelay(run);
  let state = freshState(run);
  while (!stopper.aborted) {
    if (state.isDone) state = freshState(run);
    if (handler.idle !== undefined && !(await waitForIdleness(run, handler.idle))) continue;
    const started = clock.now();
    state = await attempt(run, state);
    if (!state.isDone) {
      await stopper.wait(state.delay(clock.now()) ?? 0);
    } else if (handler.interval !== undefined && handler.sharp) {
      const passed = (clock.now() - started) / 1000;
      await stopper.wait(handler.interval - (passed % handler.interval));
    } else if (handler.interval !== undefined) {
      await stopper.wait(handler.interval);
    } else if (handler.idle !== undefined) {
      while (!stopper.aborted && memory.idleResetTime <= started) await stopper.wait(handler.idle);
    } else {
      break;
    }
  }
}

/** Sleeps until the object has been unchanged for `idle` seconds; false if stopped meanwhile. */
async function waitForIdleness(run: TaskRun, idle: number): Promise<boolean> {
  const clock = run.context.clock;
  for (;;) {
    if (run.stopper.aborted) return false;
    const left = run.memory.idleResetTime + idle * 1000 - clock.now();
    if (left <= 0) return true;
    await run.stopper.wait(left / 1000);
  }
}
