import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderKubeconfig } from './kubeconfigs.js';

describe('renderKubeconfig', () => {
  it('inlines the CA and the token in one context', () => {
    const config = parse(
      renderKubeconfig({
        server: 'https://127.0.0.1:1',
        caData: 'PEM',
        token: 't',
        context: 'c',
        namespace: 'ns',
      }),
    );
    expect(config['current-context']).toBe('c');
    expect(config.clusters[0].cluster).toEqual({
      server: 'https://127.0.0.1:1',
      'certificate-authority-data': Buffer.from('PEM').toString('base64'),
    });
    expect(config.users[0].user).toEqual({ token: 't' });
    expect(config.contexts[0].context).toEqual({ cluster: 'c', user: 'kopf-fake-admin', namespace: 'ns' });
  });

  it('skips TLS verification for plain HTTP, which client-node otherwise refuses', () => {
    const config = parse(renderKubeconfig({ server: 'http://127.0.0.1:1', token: 't' }));
    expect(config.clusters[0].cluster['insecure-skip-tls-verify']).toBe(true);
  });
});
