/**
 * The request side of writes: the write options kube-apiserver reads from the query
 * (`dryRun`, `fieldManager` or the User-Agent's product as the manager, `fieldValidation`,
 * `force` only for apply, which needs a manager), the applied configuration (YAML or
 * JSON), and the answer to a write: sent once the store says it is durable, with
 * admission and unknown-field warnings as `Warning: 299 - "…"` headers (failed writes too).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from './authorization.js';
import { decodeObject } from './bodies.js';
import { dryRunOf } from './deleting.js';
import { type FieldError, forbiddenValue, invalid, requiredValue } from './field-errors.js';
import type { PatchType } from './negotiation.js';
import type { JsonObject } from './objects.js';
import { sendObject } from './responses.js';
import { FIELD_VALIDATIONS, type FieldValidation } from './schema-decoding.js';
import { badRequest } from './statuses.js';
import type { WriteOptions } from './writing.js';

/** The manager kube-apiserver records: `fieldManager`, or the User-Agent up to its first `/`. */
export function managerOf(fieldManager: string | null, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  const product = (userAgent ?? '').split('/')[0] ?? '';
  return [...product]
    .filter((char) => /\P{C}/u.test(char))
    .join('')
    .slice(0, 128);
}

/** The options of a create, update or patch request. */
export function writeOptions(params: URLSearchParams, req: IncomingMessage, user: UserInfo): WriteOptions {
  const manager = params.get('fieldManager');
  if (manager && manager.length > 128)
    throw badRequest('fieldManager: Too long: may not be more than 128 bytes');
  // An empty value is the default (Warn), as kube-apiserver takes it; decoding applies the default.
  const validation = params.get('fieldValidation') || undefined;
  if (validation && !(FIELD_VALIDATIONS as readonly string[]).includes(validation)) {
    const supported = FIELD_VALIDATIONS.map((value) => JSON.stringify(value)).join(', ');
    throw badRequest(
      `fieldValidation: Unsupported value: ${JSON.stringify(validation)}: supported values: ${supported}`,
    );
  }
  return {
    dryRun: dryRunOf(params, undefined),
    user,
    fieldManager: managerOf(manager, req.headers['user-agent']),
    warnings: [],
    ...(validation ? { fieldValidation: validation as FieldValidation } : {}),
  };
}

/** `Warning: 299 - "text"` headers, as kube-apiserver sends admission warnings. */
function sendWarnings(res: ServerResponse, warnings: readonly string[] | undefined): void {
  if (!warnings || warnings.length === 0) return;
  const quoted = warnings.map((text) => `299 - "${text.replace(/["\\]/g, (char) => `\\${char}`)}"`);
  res.setHeader('Warning', quoted);
}

/**
 * Runs a write; when it fails, the warnings gathered so far still go out with the error
 * (kube-apiserver writes each warning into the response headers as it is raised).
 */
export async function warningOnFailure<T>(
  res: ServerResponse,
  options: WriteOptions,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!res.headersSent) sendWarnings(res, options.warnings);
    throw error;
  }
}

/** Sends a write's answer once the store says the write is durable. */
export async function sendWritten(
  durable: (() => Promise<void>) | undefined,
  res: ServerResponse,
  code: number,
  body: JsonObject,
  options: WriteOptions,
): Promise<void> {
  if (durable) await durable();
  sendWarnings(res, options.warnings);
  sendObject(res, code, body);
}

/** ValidatePatchOptions: `force` only for apply, which needs a field manager. */
export function checkPatchOptions(patchType: PatchType, params: URLSearchParams): boolean | undefined {
  const force = params.get('force');
  const errors: FieldError[] = [];
  if (patchType !== 'apply' && force !== null)
    errors.push(forbiddenValue('force', 'may not be specified for non-apply patch'));
  if (patchType === 'apply' && !params.get('fieldManager'))
    errors.push(requiredValue('fieldManager', 'is required for apply patch'));
  if (errors.length > 0) throw invalid('meta.k8s.io', 'PatchOptions', '', errors);
  return force === null ? undefined : force === 'true';
}

/** Decodes an applied configuration (YAML, of which JSON is a subset). */
export function decodeApplied(body: Buffer): JsonObject {
  try {
    return decodeObject(body, 'yaml');
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^error decoding YAML body: /, '') : '';
    throw badRequest(`error decoding YAML: ${message}`);
  }
}
