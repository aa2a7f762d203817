/**
 * The simplest operator (Kopf's example 01 and the talk's first operator): one
 * create handler that prints the spec and returns a message, which lands in the
 * object's `status.create_fn`. Run it with `npx kopf dev examples/01-minimal/operator.ts`.
 */
import { on } from '@kopf/core';

on.create('kopfexamples', function create_fn({ spec }) {
  console.log(`And here we are! Creating: ${JSON.stringify(spec)}`);
  return { message: 'hello world' }; // will be the new status
});
