/**
 * Running an operator as a process: until SIGINT or SIGTERM, then a graceful stop;
 * if the process is still alive `process.ultimateExitingTimeout` seconds after the
 * signal (something keeps it busy), it is killed, as Kopf does.
 */
import { createLogger } from './loggers.js';
import type { OperatorOptions } from './operator-options.js';
import { Operator } from './running.js';

/**
 * Runs an operator until SIGINT or SIGTERM, then stops it gracefully: the one-line
 * way to run the handlers registered with `on.*`. If stopping takes longer than
 * `process.ultimateExitingTimeout` seconds, the process is killed.
 *
 * @example
 * import { on } from '@kopf/core';
 * import { run } from '@kopf/reactor';
 * on.create('kopfexamples', ({ spec }) => ({ message: 'hello world' }));
 * await run({ namespaces: ['default'], liveness: 'http://0.0.0.0:8080/healthz' });
 */
export async function run(options: OperatorOptions = {}): Promise<void> {
  const operator = new Operator(options);
  const logger = createLogger({ sink: operator.logs, name: 'kopf.reactor' });
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    onSignal = (signal) => {
      logger.info(`Signal ${signal} is received. Operator is stopping.`);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      armUltimateExit(operator, logger);
      void operator.stop().then(resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  try {
    await operator.start();
  } catch (error) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    throw error;
  }
  await stopped;
}

/** Kills the process if it is still alive `ultimateExitingTimeout` seconds after the signal. */
function armUltimateExit(operator: Operator, logger: ReturnType<typeof createLogger>): void {
  const limit = operator.settings.process.ultimateExitingTimeout;
  if (limit === undefined) return;
  const timer = setTimeout(() => {
    logger.error(`The operator did not exit within ${limit} seconds after the signal. Killing the process.`);
    process.kill(process.pid, 'SIGKILL');
  }, limit * 1000);
  timer.unref();
}
