/**
 * A certificate the user provides for the webhook server: files (a mounted Secret,
 * re-read to notice renewals through a digest of their contents) or PEM text. The CA
 * bundle announced to the API server is the given CA, or else the certificate itself
 * (right for a self-signed one). A key that does not belong to the certificate is
 * refused here, before the server starts or a renewal is swapped in.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ServerOptions } from 'node:https';
import { createSecureContext } from 'node:tls';
import { CertificateError } from './certificates.js';

/** A certificate the user provides: files (re-read when they change) or PEM text. */
export type ProvidedCertificate =
  | {
      readonly certFile: string;
      readonly keyFile: string;
      /** The CA bundle for the API server; default: the certificate file itself (fine if self-signed). */
      readonly caFile?: string;
      readonly passphrase?: string;
    }
  | { readonly cert: string; readonly key: string; readonly ca?: string; readonly passphrase?: string };

/** What a webhook server serves with: TLS options (none when insecure) and the CA bundle to announce. */
export interface ServingMaterial {
  readonly tls: ServerOptions | undefined;
  readonly caPem: string | undefined;
  /** A digest of the certificate files, to notice renewals; `undefined` when nothing is watched. */
  readonly digest: string | undefined;
}

async function readTexts(files: readonly (string | undefined)[]): Promise<(string | undefined)[]> {
  try {
    return await Promise.all(files.map((file) => (file === undefined ? undefined : readFile(file, 'utf8'))));
  } catch (error) {
    throw new CertificateError(
      `Reading the webhook server's certificate failed: ${(error as Error).message}. ` +
        'Check the certFile, keyFile and caFile paths.',
      { cause: error },
    );
  }
}

/** Checks that the key fits the certificate (and the passphrase the key). */
function checkUsable(tls: ServerOptions): void {
  try {
    createSecureContext(tls);
  } catch (error) {
    throw new CertificateError(
      `Loading the webhook server's certificate failed: ${(error as Error).message}. ` +
        'Check that the key belongs to the certificate, and the passphrase.',
      { cause: error },
    );
  }
}

/**
 * The TLS options and CA bundle of a provided certificate.
 *
 * @throws CertificateError when the files cannot be read or the key does not fit.
 * @example
 * const { tls, caPem } = await readProvidedCertificate({ certFile: '/tls/tls.crt', keyFile: '/tls/tls.key' });
 */
export async function readProvidedCertificate(certificate: ProvidedCertificate): Promise<ServingMaterial> {
  const passphrase = certificate.passphrase !== undefined ? { passphrase: certificate.passphrase } : {};
  let material: ServingMaterial;
  if ('cert' in certificate) {
    material = {
      tls: { cert: certificate.cert, key: certificate.key, ...passphrase },
      caPem: certificate.ca ?? certificate.cert,
      digest: undefined,
    };
  } else {
    const texts = await readTexts([certificate.certFile, certificate.keyFile, certificate.caFile]);
    const [cert, key, ca] = texts as [string, string, string | undefined];
    const digest = createHash('sha256').update(texts.join('\0')).digest('hex');
    material = { tls: { cert, key, ...passphrase }, caPem: ca ?? cert, digest };
  }
  checkUsable(material.tls as ServerOptions);
  return material;
}
