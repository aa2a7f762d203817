import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateServerPki, issueClientCertificate } from './certificates.js';

describe('generateServerPki', () => {
  it('makes a CA and a server certificate for the loopback addresses, signed by that CA', async () => {
    const pki = await generateServerPki(['10.0.0.1']);
    const ca = new X509Certificate(pki.ca.certPem);
    const server = new X509Certificate(pki.server.certPem);
    expect(ca.ca).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('10.0.0.1')).toBe('10.0.0.1');
    expect(server.checkHost('localhost')).toBe('localhost');
  });

  it('issues client certificates with the user as CN and groups as O', async () => {
    const pki = await generateServerPki([]);
    const client = new X509Certificate((await issueClientCertificate(pki.ca, 'alice', ['devs'])).certPem);
    expect(client.subject).toContain('CN=alice');
    expect(client.subject).toContain('O=devs');
    expect(client.verify(new X509Certificate(pki.ca.certPem).publicKey)).toBe(true);
  });
});
