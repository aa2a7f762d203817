/**
 * Handlers on a built-in resource (Kopf's example 10): pods. Resumed and created
 * pods get a timer in the per-object memo that would "kill" them after a while;
 * deleting the pod cancels it.
 */
import { on } from '@kopf/core';

declare module '@kopf/core' {
  interface Memo {
    killer?: NodeJS.Timeout;
  }
}

const LIFETIME_MS = 30_000;

on.resume('pods', function pod_resume({ memo, name, logger }) {
  memo.killer ??= setTimeout(() => logger.info(`Pod ${name} has lived long enough.`), LIFETIME_MS).unref();
});

on.create('pods', function pod_create({ memo, name, logger }) {
  logger.info(`Pod ${name} is created; it has ${LIFETIME_MS / 1000} seconds to live.`);
  memo.killer = setTimeout(() => logger.info(`Pod ${name} has lived long enough.`), LIFETIME_MS).unref();
});

on.delete('pods', { optional: true }, function pod_delete({ memo, name, logger }) {
  clearTimeout(memo.killer);
  logger.info(`Pod ${name} is deleted; its timer is cancelled.`);
});
