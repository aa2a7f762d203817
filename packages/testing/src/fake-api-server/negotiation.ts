/**
 * Content negotiation as kube-apiserver does it: what to answer given `Accept`
 * (JSON for `*∕*`, no header or any JSON entry; server-side Tables, aggregated
 * discovery and PartialObjectMetadata when asked and possible; 406 when nothing
 * fits), and which request body and patch types a resource accepts (415 otherwise).
 */
import { notAcceptable, unsupportedMediaType } from './statuses.js';

/** What the response body is. */
export type OutputFormat =
  | { readonly kind: 'json' }
  | { readonly kind: 'yaml' }
  | { readonly kind: 'table'; readonly version: 'v1' | 'v1beta1' }
  | { readonly kind: 'partial-metadata'; readonly version: 'v1' | 'v1beta1' }
  | { readonly kind: 'discovery'; readonly version: 'v2' | 'v2beta1' };

/** What the handler at hand can produce besides plain JSON and YAML. */
export interface NegotiationContext {
  readonly table: boolean;
  readonly discovery: boolean;
  readonly partialMetadata: boolean;
}

interface MediaRange {
  readonly type: string;
  readonly params: Readonly<Record<string, string>>;
  readonly q: number;
}

const PRODUCIBLE = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

function parseRange(text: string): MediaRange {
  const [type = '', ...rest] = text.split(';').map((part) => part.trim());
  const params: Record<string, string> = {};
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq > 0) params[param.slice(0, eq).trim().toLowerCase()] = param.slice(eq + 1).trim();
  }
  const q = params.q === undefined ? 1 : Number(params.q);
  return { type: type.toLowerCase(), params, q: Number.isNaN(q) ? 1 : q };
}

/** Parses an Accept header into ranges ordered by preference (q, then position). */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || header.trim() === '') return [];
  const ranges = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(parseRange);
  return ranges
    .map((range, index) => ({ range, index }))
    .sort((a, b) => b.range.q - a.range.q || a.index - b.index)
    .map((entry) => entry.range);
}

function asFormat(range: MediaRange, context: NegotiationContext): OutputFormat | undefined {
  if (range.q <= 0) return undefined;
  const { as, g, v } = range.params;
  const jsonLike =
    range.type === 'application/json' || range.type === '*/*' || range.type === 'application/*';
  if (!as) {
    if (jsonLike) return { kind: 'json' };
    if (range.type === 'application/yaml') return { kind: 'yaml' };
    return undefined;
  }
  if (range.type !== 'application/json') return undefined;
  if (as === 'Table' && g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1') && context.table) {
    return { kind: 'table', version: v };
  }
  const partial = as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList';
  if (partial && g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1') && context.partialMetadata) {
    return { kind: 'partial-metadata', version: v };
  }
  if (
    as === 'APIGroupDiscoveryList' &&
    g === 'apidiscovery.k8s.io' &&
    (v === 'v2' || v === 'v2beta1') &&
    context.discovery
  ) {
    return { kind: 'discovery', version: v };
  }
  return undefined;
}

/** Chooses the response format, or throws 406 NotAcceptable. */
export function negotiateOutput(accept: string | undefined, context: NegotiationContext): OutputFormat {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return { kind: 'json' };
  for (const range of ranges) {
    const format = asFormat(range, context);
    if (format) return format;
  }
  throw notAcceptable(PRODUCIBLE);
}

/** The `Content-Type` of a response in `format`. */
export function contentTypeOf(format: OutputFormat): string {
  switch (format.kind) {
    case 'yaml':
      return 'application/yaml';
    case 'table':
      return `application/json;as=Table;v=${format.version};g=meta.k8s.io`;
    case 'partial-metadata':
      return 'application/json';
    case 'discovery':
      return `application/json;g=apidiscovery.k8s.io;v=${format.version};as=APIGroupDiscoveryList`;
    default:
      return 'application/json';
  }
}

/** The media type of a request body, without parameters (`; charset=utf-8`). */
export function bodyMediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** How a POST/PUT body is encoded. */
export type BodyEncoding = 'json' | 'yaml' | 'protobuf';

/** Which body encoding a create/update uses, or 415 for anything else. */
export function bodyEncodingOf(header: string | undefined, protobuf: boolean): BodyEncoding {
  const type = bodyMediaType(header);
  if (type === '' || type === 'application/json' || type === '*/*') return 'json';
  if (type === 'application/yaml') return 'yaml';
  if (type === 'application/vnd.kubernetes.protobuf' && protobuf) return 'protobuf';
  throw unsupportedMediaType(protobuf ? PRODUCIBLE : ['application/json', 'application/yaml']);
}

/** The patch formats a PATCH may use (`apply` is server-side apply). */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_TYPES: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** The patch type of a PATCH, or 415 with the real message (custom resources accept no strategic merge). */
export function patchTypeOf(header: string | undefined, builtin: boolean): PatchType {
  const type = PATCH_TYPES[bodyMediaType(header)];
  if (type && (type !== 'strategic' || builtin)) return type;
  const accepted = ['application/json-patch+json', 'application/merge-patch+json'];
  if (builtin) accepted.push('application/strategic-merge-patch+json');
  accepted.push('application/apply-patch+yaml');
  throw unsupportedMediaType(accepted);
}
