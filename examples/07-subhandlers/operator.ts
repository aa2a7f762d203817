/**
 * Sub-handlers (Kopf's example 07): the create handler declares one sub-handler
 * per item of `spec.items`; each is retried and recorded on its own, and the
 * parent is done when all of them are.
 */
import { on, subhandler } from '@kopf/core';

on.create('kopfexamples', function create_fn({ spec }) {
  for (const item of (spec.items as string[] | undefined) ?? []) {
    subhandler({ id: item })(function create_item({ logger }) {
      logger.info(`=== Handling creation for ${item}. ===`);
      return { item };
    });
  }
});
