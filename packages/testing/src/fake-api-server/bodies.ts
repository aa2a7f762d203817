/**
 * Reading request bodies: the size limit of the real server (3 MiB → 413), and
 * decoding JSON and YAML objects with the real server's 400 for malformed input.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { BodyEncoding } from './negotiation.js';
import { isJsonObject, type JsonObject } from './objects.js';
import { badRequest, requestEntityTooLarge } from './statuses.js';

/** kube-apiserver's default `--max-request-bytes`-like limit for object bodies. */
export const MAX_BODY_BYTES: number = 3 * 1024 * 1024;

/** Reads the whole body, or throws 413 past `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw requestEntityTooLarge(`limit is ${limit}`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses JSON (any value), or throws 400 naming the parse error. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw badRequest(`error decoding body: ${(error as Error).message}`);
  }
}

/** Decodes a create/update body in JSON or YAML into an object, or throws 400. */
export function decodeObject(body: Buffer, encoding: Exclude<BodyEncoding, 'protobuf'>): JsonObject {
  let value: unknown;
  if (encoding === 'yaml') {
    try {
      value = parseYaml(body.toString('utf8'));
    } catch (error) {
      throw badRequest(`error decoding YAML body: ${(error as Error).message}`);
    }
  } else {
    value = parseJson(body);
  }
  if (!isJsonObject(value)) {
    throw badRequest(
      `the object provided is unrecognized: expected a JSON object, got ${body.length ? typeof value : 'an empty body'}`,
    );
  }
  return value;
}
