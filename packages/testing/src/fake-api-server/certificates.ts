/**
 * The fake's PKI, generated in memory at start: a CA, a server certificate for
 * 127.0.0.1/localhost (and the listening host), and client certificates signed by the
 * CA (CN = user, O = groups) for tests of certificate authentication. Keys come from
 * node:crypto (RSA 2048, generated off the main thread); node-forge builds and signs
 * the X.509 certificates.
 *
 * Key generation is the slow part, so each role's key pair is generated once per process
 * and reused; every server still gets its own certificates under a CA with a unique name,
 * so one server's certificates are not trusted by another's CA.
 */
import { generateKeyPair, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generateRsa = promisify(generateKeyPair);

/** A PEM certificate with its PEM private key. */
export interface KeyPair {
  readonly certPem: string;
  readonly keyPem: string;
}

/** The CA and the server certificate of one server. */
export interface ServerPki {
  readonly ca: KeyPair;
  readonly server: KeyPair;
}

interface RsaKeys {
  readonly publicKeyPem: string;
  readonly privateKeyPem: string;
}

const keysByRole = new Map<'ca' | 'server' | 'client', Promise<RsaKeys>>();

/** The key pair of a role, generated on first use in this process. */
function keysFor(role: 'ca' | 'server' | 'client'): Promise<RsaKeys> {
  let keys = keysByRole.get(role);
  if (!keys) {
    keys = newKeys();
    keysByRole.set(role, keys);
    keys.catch(() => keysByRole.delete(role));
  }
  return keys;
}

async function newKeys(): Promise<RsaKeys> {
  const pair = await generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: pair.publicKey, privateKeyPem: pair.privateKey };
}

/**
 * A positive serial in minimal DER: the first byte is kept in 0x40–0x7f, because OpenSSL
 * refuses a certificate whose INTEGER starts with a needless zero byte ("illegal padding")
 * and node-forge drops only one such byte, so random leading zeros failed ~1 in 65,536 starts.
 */
export function serialNumber(random: Buffer = randomBytes(16)): string {
  const bytes = Buffer.from(random);
  bytes[0] = 0x40 | ((bytes[0] as number) & 0x3f);
  return bytes.toString('hex');
}

interface CertificateSpec {
  readonly subject: forge.pki.CertificateField[];
  readonly publicKeyPem: string;
  readonly extensions: object[];
}

function sign(spec: CertificateSpec, issuer: forge.pki.CertificateField[], issuerKeyPem: string): string {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(spec.publicKeyPem);
  certificate.serialNumber = serialNumber();
  certificate.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000);
  certificate.validity.notAfter = new Date(Date.now() + 365 * 24 * 60 * 60 * 1000);
  certificate.setSubject(spec.subject);
  certificate.setIssuer(issuer);
  certificate.setExtensions(spec.extensions);
  certificate.sign(forge.pki.privateKeyFromPem(issuerKeyPem), forge.md.sha256.create());
  return forge.pki.certificateToPem(certificate);
}

function subjectOf(certPem: string): forge.pki.CertificateField[] {
  return forge.pki.certificateFromPem(certPem).subject.attributes as forge.pki.CertificateField[];
}

function altNames(hosts: readonly string[]): object[] {
  const unique = [...new Set(hosts)];
  return unique.map((host) => (isIP(host) ? { type: 7, ip: host } : { type: 2, value: host }));
}

/**
 * Generates a CA and a server certificate valid for `hosts` (plus 127.0.0.1, ::1, localhost);
 * with `ca`, signs the server certificate with that CA instead of a new one.
 */
export async function generateServerPki(hosts: readonly string[], ca?: KeyPair): Promise<ServerPki> {
  const [caKeys, serverKeys] = await Promise.all([keysFor('ca'), keysFor('server')]);
  if (ca) return { ca, server: serverCertificate(hosts, subjectOf(ca.certPem), ca.keyPem, serverKeys) };
  const caSubject = [{ name: 'commonName', value: `kopf-fake-ca-${randomBytes(4).toString('hex')}` }];
  const caCert = sign(
    {
      subject: caSubject,
      publicKeyPem: caKeys.publicKeyPem,
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
        { name: 'subjectKeyIdentifier' },
      ],
    },
    caSubject,
    caKeys.privateKeyPem,
  );
  return {
    ca: { certPem: caCert, keyPem: caKeys.privateKeyPem },
    server: serverCertificate(hosts, caSubject, caKeys.privateKeyPem, serverKeys),
  };
}

function serverCertificate(
  hosts: readonly string[],
  issuer: forge.pki.CertificateField[],
  issuerKeyPem: string,
  keys: RsaKeys,
): KeyPair {
  const certPem = sign(
    {
      subject: [{ name: 'commonName', value: 'kube-apiserver' }],
      publicKeyPem: keys.publicKeyPem,
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: altNames(['127.0.0.1', '::1', 'localhost', 'kubernetes', 'kubernetes.default', ...hosts]),
        },
      ],
    },
    issuer,
    issuerKeyPem,
  );
  return { certPem, keyPem: keys.privateKeyPem };
}

/** Issues a client certificate signed by the CA: CN is the user name, O the groups. */
export async function issueClientCertificate(
  ca: KeyPair,
  user: string,
  groups: readonly string[],
): Promise<KeyPair> {
  const keys = await keysFor('client');
  const certPem = sign(
    {
      subject: [
        { name: 'commonName', value: user },
        ...groups.map((group) => ({ name: 'organizationName', value: group })),
      ],
      publicKeyPem: keys.publicKeyPem,
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', clientAuth: true },
      ],
    },
    subjectOf(ca.certPem),
    ca.keyPem,
  );
  return { certPem, keyPem: keys.privateKeyPem };
}
