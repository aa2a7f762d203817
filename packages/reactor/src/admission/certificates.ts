/**
 * The webhook server's own PKI for when no certificate is given: a CA and a server
 * certificate for the host names the API server dials, signed by that CA, whose PEM
 * becomes the webhook configurations' `caBundle`. Keys come from node:crypto (RSA
 * 2048, off the main thread); node-forge builds and signs the X.509 certificates.
 *
 * With a directory, the files are kept there (`ca.crt`, `ca.key`, `tls.crt`,
 * `tls.key`, keys readable by the owner only) and reused on the next start while
 * they are valid for more than a day and cover the host names; a server certificate
 * that does not fit is re-issued under the same CA, so the `caBundle` stays stable.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KopfError } from '@kopf/core';
import forge from 'node-forge';

/** PEM texts of a CA and of a server certificate it signed, with the server's key. */
export interface WebhookCertificates {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

/** Options of {@link selfSignedCertificates}. */
export interface SelfSignedOptions {
  /** Host names and IP addresses the certificate must be valid for (the first name is the CN). */
  readonly hostnames: readonly string[];
  /** Where to keep and reuse the files; in memory only when absent. */
  readonly directory?: string;
  /** Milliseconds since the epoch (the injected clock). */
  readonly now: number;
}

/** The certificates could not be generated, read or written. */
export class CertificateError extends KopfError {
  override name = 'CertificateError';
}

const DAY = 24 * 60 * 60 * 1000;
const CA_LIFETIME = 10 * 365 * DAY;
const SERVER_LIFETIME = 365 * DAY;
const FILES = { caCert: 'ca.crt', caKey: 'ca.key', cert: 'tls.crt', key: 'tls.key' } as const;

const generateRsa = promisify(generateKeyPair);

interface KeyPair {
  readonly publicKeyPem: string;
  readonly privateKeyPem: string;
}

async function newKeys(): Promise<KeyPair> {
  const pair = await generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: pair.publicKey, privateKeyPem: pair.privateKey };
}

/** Host names without the unroutable "any" addresses, IPs in their canonical form, de-duplicated. */
export function certificateHostnames(hostnames: readonly string[]): string[] {
  const usable = hostnames
    .map((name) => name.replace(/^\[|\]$/g, ''))
    .filter((name) => name !== '' && name !== '0.0.0.0' && name !== '::');
  return [...new Set(usable)];
}

interface Issue {
  readonly subject: string;
  readonly keys: KeyPair;
  readonly issuer: { readonly subject: string; readonly privateKeyPem: string };
  readonly now: number;
  readonly lifetime: number;
  readonly extensions: object[];
}

/**
 * A positive serial in minimal DER: the first byte stays in 0x40–0x7f. OpenSSL refuses an
 * INTEGER with a needless leading zero byte ("illegal padding"), and node-forge drops only
 * one, so random leading zeros broke about one certificate in 65,536. (The fake API server
 * of `@kopf/testing` keeps the same rule: it imports no other `@kopf/*` package.)
 */
export function serialNumber(random: Buffer = randomBytes(16)): string {
  const bytes = Buffer.from(random);
  bytes[0] = 0x40 | ((bytes[0] as number) & 0x3f);
  return bytes.toString('hex');
}

function issue(spec: Issue): string {
  const certificate = forge.pki.createCertificate();
  certificate.serialNumber = serialNumber();
  certificate.publicKey = forge.pki.publicKeyFromPem(spec.keys.publicKeyPem);
  certificate.validity.notBefore = new Date(spec.now - 60 * 60 * 1000);
  certificate.validity.notAfter = new Date(spec.now + spec.lifetime);
  certificate.setSubject([{ name: 'commonName', value: spec.subject }]);
  certificate.setIssuer([{ name: 'commonName', value: spec.issuer.subject }]);
  certificate.setExtensions(spec.extensions);
  certificate.sign(forge.pki.privateKeyFromPem(spec.issuer.privateKeyPem), forge.md.sha256.create());
  return forge.pki.certificateToPem(certificate);
}

async function issueCa(now: number): Promise<{ certPem: string; keyPem: string }> {
  const keys = await newKeys();
  const subject = `kopf-webhook-ca-${randomBytes(4).toString('hex')}`;
  const certPem = issue({
    subject,
    keys,
    issuer: { subject, privateKeyPem: keys.privateKeyPem },
    now,
    lifetime: CA_LIFETIME,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ],
  });
  return { certPem, keyPem: keys.privateKeyPem };
}

async function issueServer(
  ca: { certPem: string; keyPem: string },
  hostnames: readonly string[],
  now: number,
): Promise<{ certPem: string; keyPem: string }> {
  const keys = await newKeys();
  const caSubject = new X509Certificate(ca.certPem).subject.replace(/^CN=/, '');
  const named = hostnames.find((name) => isIP(name) === 0) ?? hostnames[0] ?? 'localhost';
  const altNames = hostnames.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name }));
  const certPem = issue({
    subject: named,
    keys,
    issuer: { subject: caSubject, privateKeyPem: ca.keyPem },
    now,
    lifetime: SERVER_LIFETIME,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { certPem, keyPem: keys.privateKeyPem };
}

function lastsLongEnough(certificate: X509Certificate, now: number): boolean {
  return Date.parse(certificate.validTo) - now > DAY && Date.parse(certificate.validFrom) <= now;
}

function covers(certificate: X509Certificate, hostnames: readonly string[]): boolean {
  return hostnames.every((name) =>
    isIP(name) ? certificate.checkIP(name) !== undefined : certificate.checkHost(name) !== undefined,
  );
}

async function readPair(
  directory: string,
  cert: string,
  key: string,
): Promise<{ certPem: string; keyPem: string } | undefined> {
  try {
    const [certPem, keyPem] = await Promise.all([
      readFile(join(directory, cert), 'utf8'),
      readFile(join(directory, key), 'utf8'),
    ]);
    return { certPem, keyPem };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function writePair(
  directory: string,
  cert: string,
  key: string,
  pair: { certPem: string; keyPem: string },
): Promise<void> {
  await writeFile(join(directory, key), pair.keyPem, { mode: 0o600 });
  await writeFile(join(directory, cert), pair.certPem, { mode: 0o644 });
}

/** The certificate, if the pair parses and its key is the certificate's. */
function parsed(pair: { certPem: string; keyPem: string } | undefined): X509Certificate | undefined {
  if (!pair) return undefined;
  try {
    const certificate = new X509Certificate(pair.certPem);
    const fromKey = createPublicKey(createPrivateKey(pair.keyPem)).export({ type: 'spki', format: 'pem' });
    const fromCert = certificate.publicKey.export({ type: 'spki', format: 'pem' });
    return fromKey === fromCert ? certificate : undefined;
  } catch {
    return undefined;
  }
}

async function keptOrIssued(
  directory: string,
  hostnames: readonly string[],
  now: number,
): Promise<WebhookCertificates> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  let ca = await readPair(directory, FILES.caCert, FILES.caKey);
  const caCert = parsed(ca);
  if (!ca || !caCert || !lastsLongEnough(caCert, now)) {
    ca = await issueCa(now);
    await writePair(directory, FILES.caCert, FILES.caKey, ca);
  }
  const authority = new X509Certificate(ca.certPem);
  let server = await readPair(directory, FILES.cert, FILES.key);
  const serverCert = parsed(server);
  const fits =
    serverCert?.checkIssued(authority) &&
    serverCert.verify(authority.publicKey) &&
    lastsLongEnough(serverCert, now) &&
    covers(serverCert, hostnames);
  if (!server || !fits) {
    server = await issueServer(ca, hostnames, now);
    await writePair(directory, FILES.cert, FILES.key, server);
  }
  return { caPem: ca.certPem, certPem: server.certPem, keyPem: server.keyPem };
}

/**
 * A CA and a server certificate for `hostnames`, generated, or kept in and reused
 * from `directory`.
 *
 * @throws CertificateError naming the directory when the files cannot be read or written.
 * @example
 * const { caPem, certPem, keyPem } = await selfSignedCertificates({ hostnames: ['localhost', '127.0.0.1'], now: Date.now() });
 */
export async function selfSignedCertificates(options: SelfSignedOptions): Promise<WebhookCertificates> {
  const hostnames = certificateHostnames(options.hostnames);
  if (options.directory === undefined) {
    const ca = await issueCa(options.now);
    const server = await issueServer(ca, hostnames, options.now);
    return { caPem: ca.certPem, certPem: server.certPem, keyPem: server.keyPem };
  }
  try {
    return await keptOrIssued(options.directory, hostnames, options.now);
  } catch (error) {
    throw new CertificateError(
      `Keeping the webhook certificates in ${options.directory} failed: ${(error as Error).message}. ` +
        'Give a writable directory as certDir, or none to keep them in memory.',
      { cause: error },
    );
  }
}
