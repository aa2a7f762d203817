import type { AdmissionServer } from '@kopf/core';
import { WebhookServer } from '@kopf/reactor';

/** Your tunnel's API: exposes a local port, returns its public HTTPS URL. */
declare function openTunnel(port: string): Promise<string>;

export const tunnelled: AdmissionServer = {
  async *serve(handle, { signal }) {
    const local = new WebhookServer({ addr: '127.0.0.1', port: 8080, insecure: true }); // plain HTTP
    for await (const config of local.serve(handle, { signal })) {
      const publicUrl = await openTunnel(new URL(config.url ?? '').port);
      yield { url: publicUrl }; // no caBundle: the tunnel's certificate is publicly trusted
    }
  },
};
