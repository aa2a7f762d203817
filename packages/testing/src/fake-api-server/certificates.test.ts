import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { generateServerPki, issueClientCertificate, serialNumber } from './certificates.js';

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

describe('serialNumber', () => {
  const selfSigned = (serial: string): { certPem: string; keyPem: string } => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = forge.pki.publicKeyFromPem(
      keys.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    );
    certificate.serialNumber = serial;
    certificate.validity.notAfter = new Date(Date.now() + 60_000);
    certificate.setSubject([{ name: 'commonName', value: 'serial' }]);
    certificate.setIssuer([{ name: 'commonName', value: 'serial' }]);
    const keyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    certificate.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
    return { certPem: forge.pki.certificateToPem(certificate), keyPem };
  };

  it('keeps certificates loadable by OpenSSL when the random bytes start with zeros', () => {
    // The raw bytes as a serial are what OpenSSL refuses: the reason for the rule.
    const raw = selfSigned(Buffer.alloc(16).toString('hex'));
    expect(() => createSecureContext({ key: raw.keyPem, cert: raw.certPem })).toThrow(/illegal padding/);
    const fixed = selfSigned(serialNumber(Buffer.alloc(16)));
    expect(() => createSecureContext({ key: fixed.keyPem, cert: fixed.certPem })).not.toThrow();
  });

  it('is positive, 16 bytes, and differs between calls', () => {
    const serials = new Set(Array.from({ length: 50 }, () => serialNumber()));
    expect(serials.size).toBe(50);
    for (const serial of serials) {
      expect(serial).toHaveLength(32);
      expect(Number.parseInt(serial.slice(0, 2), 16)).toBeGreaterThanOrEqual(0x40);
      expect(Number.parseInt(serial.slice(0, 2), 16)).toBeLessThan(0x80);
    }
  });
});
