import { AdmissionError, on } from '@kopf/core';
import { WebhookServer } from '@kopf/reactor';

on.startup(function config({ settings }) {
  // A local HTTPS server with a generated CA; the operator creates and maintains the
  // ValidatingWebhookConfiguration and MutatingWebhookConfiguration `auto.kopf.dev`.
  settings.admission = { server: new WebhookServer(), managed: 'auto.kopf.dev' };
});

on.validate('kopfexamples', function check_field({ spec, dryrun, warnings }) {
  if (spec.field === 'wrong') throw new AdmissionError("Meh! I don't like it.", { code: 422 });
  if (!dryrun && spec.field === undefined) warnings.push('spec.field is empty; the default is used.');
});

on.validate('kopfexamples', { operations: ['DELETE'] }, function keep_protected({ labels }) {
  if (labels.protected === 'yes')
    throw new AdmissionError('Protected objects are not deleted.', { code: 403 });
});

on.mutate('kopfexamples', { labels: { somelabel: 'somevalue' } }, function inject({ patch }) {
  patch.spec.injected = 123; // answered as a JSON Patch
});
