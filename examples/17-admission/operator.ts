/**
 * Admission handlers (Kopf's example 17): validating handlers that reject with an
 * `AdmissionError` (message and code reach kubectl; a 4xx code tells clients not to
 * retry, while the default 500 looks like a server error), one that looks at
 * subresources, one that reports who calls, and a mutating handler that fills in a
 * field. One line in a startup handler switches the webhook server on and lets the
 * operator manage the webhook configurations.
 */
import { AdmissionError, on } from '@kopf/core';
import { WebhookServer } from '@kopf/reactor';

on.startup(function config({ settings }) {
  // A local HTTPS server with a generated CA; for K3d/Minikube/Docker Desktop, use their servers.
  settings.admission = { server: new WebhookServer(), managed: 'auto.kopf.dev' };
});

on.validate('kopfexamples', function authhook({ headers, sslpeer, warnings }) {
  warnings.push(`Accessing as user-agent: ${headers['user-agent'] ?? '(unidentified)'}`);
  if (!sslpeer) warnings.push('SSL peer is not identified.');
});

on.validate('kopfexamples', function validate1({ spec, dryrun }) {
  if (!dryrun && spec.field === 'wrong')
    throw new AdmissionError("Meh! I don't like it. Change the field.", { code: 403 });
});

on.validate('kopfexamples', { field: 'spec.field', value: 'not-allowed' }, function validate2() {
  throw new AdmissionError("I'm too lazy anyway. Go away!", { code: 422 });
});

on.validate(
  'kopfexamples',
  { subresource: '*' },
  function validate_subresources({ spec, status, subresource, warnings }) {
    if (subresource === 'status' && status.field !== spec.field) {
      throw new AdmissionError('status.field MUST be equal to spec.field!', { code: 422 });
    }
    if (subresource === undefined && status.field !== spec.field) {
      warnings.push(
        `Also update status.field to match spec.field: ${JSON.stringify(spec.field)} != ${JSON.stringify(status.field)}`,
      );
    }
  },
);

on.mutate('kopfexamples', { labels: { somelabel: 'somevalue' } }, function mutate1({ patch }) {
  patch.spec.injected = 123;
});
