/**
 * The served resources: built-ins plus the types of established CRDs, looked up by
 * group, version and plural, and grouped for discovery (preferred version first,
 * ordered as kube-apiserver orders them). Replaced whole when CRDs change, so
 * discovery reflects a new CRD as soon as it is established.
 */
import { groupVersionOf, type ResourceType } from './kinds.js';

/** One API group as discovery lists it. */
export interface ApiGroup {
  readonly name: string;
  /** Versions, preferred first. */
  readonly versions: readonly string[];
}

const VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/** Kubernetes version priority: GA > beta > alpha, higher numbers first, others last by name. */
export function compareVersions(a: string, b: string): number {
  const rank = (version: string): [number, number, number] => {
    const match = VERSION.exec(version);
    if (!match) return [0, 0, 0];
    const stability = match[2] === undefined ? 3 : match[2] === 'beta' ? 2 : 1;
    return [stability, Number(match[1]), Number(match[3] ?? 0)];
  };
  const [sa, ma, na] = rank(a);
  const [sb, mb, nb] = rank(b);
  if (sa === 0 && sb === 0) return a.localeCompare(b);
  return sb - sa || mb - ma || nb - na;
}

/** The lookup table of served resource types. */
export class ResourceRegistry {
  private custom: readonly ResourceType[] = [];
  private index = new Map<string, ResourceType>();
  private changeListeners = new Set<() => void>();

  constructor(private readonly builtins: readonly ResourceType[]) {
    this.rebuild();
  }

  /** Every served type: built-ins first, then custom ones. */
  all(): readonly ResourceType[] {
    return [...this.builtins, ...this.custom];
  }

  lookup(group: string, version: string, plural: string): ResourceType | undefined {
    return this.index.get(`${group}/${version}/${plural}`);
  }

  /** Whether a group-version is served at all. */
  servesGroupVersion(group: string, version: string): boolean {
    return this.all().some((type) => type.group === group && type.version === version);
  }

  /** The served groups (the core group `""` included), in discovery order. */
  groups(): ApiGroup[] {
    const versions = new Map<string, Set<string>>();
    for (const type of this.all()) {
      const set = versions.get(type.group) ?? new Set<string>();
      set.add(type.version);
      versions.set(type.group, set);
    }
    return [...versions].map(([name, set]) => ({ name, versions: [...set].sort(compareVersions) }));
  }

  /** The types of one group-version, in registration order. */
  typesOf(group: string, version: string): ResourceType[] {
    return this.all().filter((type) => type.group === group && type.version === version);
  }

  /** One type per storage, the one whose version is the storage version: for controllers. */
  storageTypes(): ResourceType[] {
    const byStorage = new Map<string, ResourceType>();
    for (const type of this.all()) {
      const current = byStorage.get(type.storage);
      if (!current || groupVersionOf(type) === type.storageApiVersion) byStorage.set(type.storage, type);
    }
    return [...byStorage.values()];
  }

  /** Replaces the CRD-defined types and tells the listeners. */
  setCustomTypes(types: readonly ResourceType[]): void {
    this.custom = types;
    this.rebuild();
    for (const listener of this.changeListeners) listener();
  }

  /** Called after every change of the served types. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private rebuild(): void {
    this.index = new Map(this.all().map((type) => [`${type.group}/${type.version}/${type.plural}`, type]));
  }
}
