/**
 * Serves the OpenAPI documents kubectl's default validation downloads, built by
 * `openapi.ts` from the currently served types: `/openapi/v3` (root with per-GV hashes),
 * `/openapi/v3/<api/v1|apis/G/V>` and the protobuf `/openapi/v2` of kubectl 1.27/1.28.
 * Documents are rebuilt when the served types change (a CRD is established or dropped).
 */
import { createHash } from 'node:crypto';
import { groupVersionOf, type ResourceType } from './kinds.js';
import {
  OPENAPI_V2_PROTOBUF_CONTENT_TYPE,
  type OpenApiResource,
  openApiV2Protobuf,
  openApiV3GroupVersion,
  openApiV3Key,
  openApiV3Root,
} from './openapi.js';
import type { ResourceRegistry } from './registry.js';

/** A document to send: its media type and bytes. */
export interface OpenApiDocument {
  readonly contentType: string;
  readonly body: Buffer;
}

function resourceOf(type: ResourceType): OpenApiResource {
  return {
    group: type.group,
    version: type.version,
    kind: type.kind,
    plural: type.plural,
    namespaced: type.namespaced,
    subresources: type.subresources,
    ...(type.schema ? { schema: type.schema } : {}),
  };
}

function json(value: unknown): OpenApiDocument {
  return { contentType: 'application/json', body: Buffer.from(JSON.stringify(value), 'utf8') };
}

/** The OpenAPI endpoints over a registry, cached until the served types change. */
export class OpenApiDocuments {
  private cache = new Map<string, OpenApiDocument>();

  constructor(private readonly registry: ResourceRegistry) {
    registry.onChange(() => {
      this.cache = new Map();
    });
  }

  /** The document at `path` (`/openapi/v2`, `/openapi/v3`, `/openapi/v3/apis/G/V`), or undefined. */
  lookup(path: string): OpenApiDocument | undefined {
    const cached = this.cache.get(path);
    if (cached) return cached;
    const document = this.build(path);
    if (document) this.cache.set(path, document);
    return document;
  }

  private groupVersions(): string[] {
    return [...new Set(this.registry.all().map(groupVersionOf))];
  }

  private resources(): OpenApiResource[] {
    return this.registry.all().map(resourceOf);
  }

  private groupVersionDocument(groupVersion: string): OpenApiDocument {
    return json(openApiV3GroupVersion(groupVersion, this.resources()));
  }

  private build(path: string): OpenApiDocument | undefined {
    if (path === '/openapi/v2') {
      return {
        contentType: OPENAPI_V2_PROTOBUF_CONTENT_TYPE,
        body: Buffer.from(openApiV2Protobuf(this.resources())),
      };
    }
    if (path === '/openapi/v3') {
      const hashOf = (gv: string): string =>
        createHash('sha512')
          .update(this.groupVersionDocument(gv).body)
          .digest('hex')
          .slice(0, 128)
          .toUpperCase();
      return json(openApiV3Root(this.groupVersions(), hashOf));
    }
    const key = path.replace(/^\/openapi\/v3\//, '');
    const groupVersion = this.groupVersions().find(
      (gv) => `/openapi/v3/${openApiV3Key(gv)}` === path || openApiV3Key(gv) === key,
    );
    return groupVersion ? this.groupVersionDocument(groupVersion) : undefined;
  }
}
