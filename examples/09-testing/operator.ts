/**
 * Testing an operator (Kopf's example 09): the operator is ordinary code; its test
 * (`operator.test.ts`) runs it with `runOperator()` from `@kopf/testing` against a
 * fake Kubernetes API server over HTTPS — no cluster needed, in any test runner.
 */
import { on, TemporaryError } from '@kopf/core';

on.create('kopfexamples', function create_fn({ spec, retry, logger }) {
  if (typeof spec.duration !== 'string') throw new TemporaryError('spec.duration is missing', { delay: 0.1 });
  logger.info(`Something was logged here: retry=${retry}.`);
  return { message: `Lasts ${spec.duration}.` };
});
