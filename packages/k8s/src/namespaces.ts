/**
 * Namespace patterns as Kopf's `--namespace` takes them, and following the set of
 * namespaces that match them as namespaces are created and deleted. A pattern is
 * a comma-separated list of globs (`*`, `?`, `[abc]`), `!` negating: the first
 * inclusive glob makes the initial match (a leading negation implies `*` first),
 * a negation removes a match, and a later inclusive glob restores only what the
 * first one matched — e.g. `myapp-*, !*-pr-*, *pr-123`.
 */
import type { ApiClient } from './client.js';
import { ApiForbiddenError } from './errors.js';
import type { ResourceRef } from './paths.js';
import { watchObjects } from './watching.js';

/** A namespace pattern: Kopf's glob syntax, or a regular expression matched in full. */
export type NamespacePattern = string | RegExp;

/** Whether `name` matches one pattern (see the module comment for the syntax). */
export function matchNamespacePattern(pattern: NamespacePattern, name: string): boolean {
  if (pattern instanceof RegExp) {
    const match = pattern.exec(name);
    return match !== null && match.index === 0 && match[0].length === name.length;
  }
  const globs = pattern.split(',').map((glob) => glob.trim());
  if (globs.length === 0 || globs[0]!.startsWith('!')) globs.unshift('*');
  const first = globMatches(globs[0]!, name);
  let matches = first;
  for (const glob of globs.slice(1)) {
    if (glob.startsWith('!')) matches = matches && !globMatches(glob.replace(/^!+/, ''), name);
    else matches = matches || (first && globMatches(glob, name));
  }
  return matches;
}

/** Whether `name` matches any of the patterns (several `--namespace` options). */
export function matchNamespace(patterns: readonly NamespacePattern[], name: string): boolean {
  return patterns.some((pattern) => matchNamespacePattern(pattern, name));
}

/** The patterns that are plain names (no globs, negations, lists or regexps). */
export function specificNamespaces(patterns: readonly NamespacePattern[]): string[] {
  return patterns
    .filter((p): p is string => typeof p === 'string' && !/[!*?,[\]]/.test(p))
    .map((p) => p.trim());
}

const globCache = new Map<string, RegExp>();

/** fnmatch-style glob matching of the whole name. */
function globMatches(glob: string, name: string): boolean {
  let regexp = globCache.get(glob);
  if (!regexp) {
    regexp = new RegExp(`^${globToRegExp(glob)}$`, 's');
    if (globCache.size > 1000) globCache.clear();
    globCache.set(glob, regexp);
  }
  return regexp.test(name);
}

function globToRegExp(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*') out += '.*';
    else if (char === '?') out += '.';
    else if (char === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        let set = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (set.startsWith('!')) set = `^${set.slice(1)}`;
        out += `[${set}]`;
        i = end;
      }
    } else out += char.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return out;
}

const NAMESPACES: ResourceRef = {
  group: '',
  version: 'v1',
  plural: 'namespaces',
  namespaced: false,
  kind: 'Namespace',
};

/** Options of {@link observeNamespaces}. */
export interface NamespaceObserveOptions {
  readonly signal: AbortSignal;
}

/**
 * The sorted names of existing namespaces matching the patterns: now, and again
 * on every change of that set. When listing namespaces is forbidden (RBAC), the
 * plain names among the patterns are yielded once (Kopf's fallback) and kept until
 * `signal` aborts. Ends when `signal` aborts.
 */
export async function* observeNamespaces(
  client: ApiClient,
  patterns: readonly NamespacePattern[],
  options: NamespaceObserveOptions,
): AsyncGenerator<string[]> {
  const { signal } = options;
  if (await isForbidden(client, signal)) {
    yield specificNamespaces(patterns).sort();
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    return;
  }
  const existing = new Set<string>();
  let last: string | undefined;
  for await (const event of watchObjects(client, NAMESPACES, { signal })) {
    if (event.type === 'LISTED' || event.type === 'ADDED' || event.type === 'MODIFIED') {
      existing.add(event.object.metadata?.name ?? '');
    } else if (event.type === 'DELETED') {
      existing.delete(event.object.metadata?.name ?? '');
    }
    if (event.type === 'LISTED' || (last === undefined && event.type !== 'SYNCED')) continue;
    const matching = [...existing].filter((name) => name && matchNamespace(patterns, name)).sort();
    const key = matching.join('\n');
    if (key === last) continue;
    last = key;
    yield matching;
  }
}

async function isForbidden(client: ApiClient, signal: AbortSignal): Promise<boolean> {
  try {
    await client.request({ method: 'GET', path: '/api/v1/namespaces', query: { limit: 1 }, signal });
    return false;
  } catch (error) {
    if (error instanceof ApiForbiddenError) return true;
    if (signal.aborted) return false;
    throw error;
  }
}
