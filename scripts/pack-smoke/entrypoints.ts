/**
 * Which `exports` subpaths of a package are modules. attw resolves every subpath as
 * a module and fails on data files (`@kopf/reactor/peering.yaml`, a manifest read from
 * disk, never imported), so the package check tells it to skip those.
 */

/** The file a subpath's condition tree ends in for Node's ESM loader (`import`, `node`, `default`). */
function importTarget(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (target === null || typeof target !== 'object') return undefined;
  const conditions = target as Record<string, unknown>;
  return importTarget(conditions.import ?? conditions.node ?? conditions.default);
}

/**
 * The `exports` subpaths (`./peering.yaml`) whose target is neither JavaScript nor JSON:
 * files shipped for reading, which attw cannot analyse as entry points.
 */
export function nonModuleEntrypoints(exports: unknown): string[] {
  if (exports === null || typeof exports !== 'object') return [];
  return Object.entries(exports as Record<string, unknown>)
    .filter(([subpath]) => subpath.startsWith('.'))
    .filter(([, target]) => {
      const file = importTarget(target);
      return file !== undefined && !/\.(m?js|cjs|json)$/.test(file);
    })
    .map(([subpath]) => subpath);
}
