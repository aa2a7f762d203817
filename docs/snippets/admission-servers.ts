import { on } from '@kopf/core';
import { WebhookK3dServer, WebhookServer } from '@kopf/reactor';

on.startup(({ settings }) => {
  settings.admission.managed = 'my-operator.example.com';

  if (process.env.KUBERNETES_SERVICE_HOST) {
    // In the cluster: a Service in front of the pod, the certificate from a mounted Secret
    // (re-read every fileCheckInterval seconds; a renewed CA is patched into the configurations).
    settings.admission.server = new WebhookServer({
      port: 9443,
      host: 'my-operator.my-namespace.svc',
      certificate: { certFile: '/tls/tls.crt', keyFile: '/tls/tls.key', caFile: '/tls/ca.crt' },
    });
  } else {
    // A developer's k3d cluster reaching this machine; the generated CA kept across restarts.
    settings.admission.server = new WebhookK3dServer({ port: 9443, certDir: '.kopf/webhook-certs' });
  }
});
