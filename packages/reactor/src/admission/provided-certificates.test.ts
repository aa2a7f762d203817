import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CertificateError, selfSignedCertificates } from './certificates.js';
import { readProvidedCertificate } from './provided-certificates.js';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'kopf-provided-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('readProvidedCertificate', () => {
  it('reads the files, announces the CA file, and digests them to notice renewals', async () => {
    const pki = await selfSignedCertificates({ hostnames: ['localhost'], directory, now: Date.now() });
    const files = {
      certFile: join(directory, 'tls.crt'),
      keyFile: join(directory, 'tls.key'),
      caFile: join(directory, 'ca.crt'),
    };
    const first = await readProvidedCertificate(files);
    expect(first).toEqual({
      tls: { cert: pki.certPem, key: pki.keyPem },
      caPem: pki.caPem,
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((await readProvidedCertificate(files)).digest).toBe(first.digest);
    await writeFile(files.caFile, `${pki.caPem}\n`);
    expect((await readProvidedCertificate(files)).digest).not.toBe(first.digest);
  });

  it('announces the certificate itself when no CA is given, and watches no text', async () => {
    const pki = await selfSignedCertificates({ hostnames: ['localhost'], now: Date.now() });
    const material = await readProvidedCertificate({
      cert: pki.certPem,
      key: pki.keyPem,
      passphrase: undefined,
    });
    expect(material).toEqual({
      tls: { cert: pki.certPem, key: pki.keyPem },
      caPem: pki.certPem,
      digest: undefined,
    });
  });

  it('refuses missing files and keys of other certificates, naming the fix', async () => {
    await expect(
      readProvidedCertificate({ certFile: join(directory, 'x.crt'), keyFile: join(directory, 'x.key') }),
    ).rejects.toThrow(CertificateError);
    const one = await selfSignedCertificates({ hostnames: ['localhost'], now: Date.now() });
    const other = await selfSignedCertificates({ hostnames: ['localhost'], now: Date.now() });
    await expect(readProvidedCertificate({ cert: one.certPem, key: other.keyPem })).rejects.toThrow(
      /Check that the key belongs to the certificate, and the passphrase\.$/,
    );
  });
});
