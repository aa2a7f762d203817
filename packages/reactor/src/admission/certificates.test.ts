import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import forge from 'node-forge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CertificateError,
  certificateHostnames,
  selfSignedCertificates,
  serialNumber,
} from './certificates.js';

const DAY = 24 * 60 * 60 * 1000;
let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'kopf-certificates-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('certificateHostnames', () => {
  it('drops the "any" addresses and brackets, and duplicates', () => {
    expect(
      certificateHostnames(['localhost', '0.0.0.0', '::', '[::1]', 'localhost', '127.0.0.1', '']),
    ).toEqual(['localhost', '::1', '127.0.0.1']);
  });
});

describe('selfSignedCertificates', () => {
  it('issues a server certificate for the names and IPs, signed by its own CA', async () => {
    const pki = await selfSignedCertificates({
      hostnames: ['host.k3d.internal', '127.0.0.1'],
      now: Date.now(),
    });
    const ca = new X509Certificate(pki.caPem);
    const cert = new X509Certificate(pki.certPem);
    expect(ca.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subject).toBe('CN=host.k3d.internal');
    expect(cert.checkHost('host.k3d.internal')).toBe('host.k3d.internal');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('elsewhere.example')).toBeUndefined();
    expect(pki.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('keeps the files in a directory (keys for the owner only) and reuses them on the next start', async () => {
    const first = await selfSignedCertificates({ hostnames: ['localhost'], directory, now: Date.now() });
    const second = await selfSignedCertificates({ hostnames: ['localhost'], directory, now: Date.now() });
    expect(second).toEqual(first);
    expect(await readFile(join(directory, 'ca.crt'), 'utf8')).toBe(first.caPem);
    expect(await readFile(join(directory, 'tls.crt'), 'utf8')).toBe(first.certPem);
    expect((await stat(join(directory, 'tls.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(directory, 'ca.key'))).mode & 0o777).toBe(0o600);
  });

  it('re-issues the server certificate under the same CA when the names change or it expires soon', async () => {
    const now = Date.now();
    const first = await selfSignedCertificates({ hostnames: ['localhost'], directory, now });
    const renamed = await selfSignedCertificates({
      hostnames: ['localhost', 'host.docker.internal'],
      directory,
      now,
    });
    expect(renamed.caPem).toBe(first.caPem);
    expect(renamed.certPem).not.toBe(first.certPem);
    expect(new X509Certificate(renamed.certPem).checkHost('host.docker.internal')).toBe(
      'host.docker.internal',
    );
    const later = await selfSignedCertificates({
      hostnames: ['localhost', 'host.docker.internal'],
      directory,
      now: now + 365 * DAY,
    });
    expect(later.caPem).toBe(first.caPem);
    expect(later.certPem).not.toBe(renamed.certPem);
  });

  it('replaces a CA that expires soon, and files that are broken or do not belong together', async () => {
    const now = Date.now();
    const first = await selfSignedCertificates({ hostnames: ['localhost'], directory, now });
    const later = now + 3650 * DAY;
    const old = await selfSignedCertificates({ hostnames: ['localhost'], directory, now: later });
    expect(old.caPem).not.toBe(first.caPem);
    await writeFile(join(directory, 'tls.key'), first.keyPem);
    const mismatched = await selfSignedCertificates({ hostnames: ['localhost'], directory, now: later });
    expect(mismatched.certPem).not.toBe(old.certPem);
    expect(mismatched.caPem).toBe(old.caPem);
    await writeFile(join(directory, 'ca.crt'), 'garbage');
    const fresh = await selfSignedCertificates({ hostnames: ['localhost'], directory, now: later });
    expect(fresh.caPem).not.toBe(old.caPem);
    expect(new X509Certificate(fresh.certPem).verify(new X509Certificate(fresh.caPem).publicKey)).toBe(true);
  });

  it('fails with the directory named when it cannot be written', async () => {
    const file = join(directory, 'a-file');
    await writeFile(file, '');
    const failure = await selfSignedCertificates({
      hostnames: ['localhost'],
      directory: join(file, 'sub'),
      now: Date.now(),
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CertificateError);
    expect((failure as Error).message).toMatch(
      /^Keeping the webhook certificates in .*a-file\/sub failed: .*Give a writable directory/,
    );
  });
});

describe('serialNumber', () => {
  const selfSigned = (serial: string): { certPem: string; keyPem: string } => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const keyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = forge.pki.publicKeyFromPem(
      keys.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    );
    certificate.serialNumber = serial;
    certificate.validity.notAfter = new Date(Date.now() + 60_000);
    certificate.setSubject([{ name: 'commonName', value: 'serial' }]);
    certificate.setIssuer([{ name: 'commonName', value: 'serial' }]);
    certificate.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
    return { certPem: forge.pki.certificateToPem(certificate), keyPem };
  };

  it('keeps webhook certificates loadable by OpenSSL when the random bytes start with zeros', () => {
    const raw = selfSigned(Buffer.alloc(16).toString('hex'));
    expect(() => createSecureContext({ key: raw.keyPem, cert: raw.certPem })).toThrow(/illegal padding/);
    const fixed = selfSigned(serialNumber(Buffer.alloc(16)));
    expect(() => createSecureContext({ key: fixed.keyPem, cert: fixed.certPem })).not.toThrow();
  });
});
