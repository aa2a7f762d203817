import { on, TemporaryError } from '@kopf/core';

on.create('kopfexamples', function create_fn({ spec }) {
  if (typeof spec.duration !== 'string') throw new TemporaryError('spec.duration is missing', { delay: 10 });
  return { message: `Lasts ${spec.duration}.` };
});
