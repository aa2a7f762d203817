/**
 * Sets of field paths as server-side apply tracks them (structured-merge-diff's
 * `fieldpath.Set`), in the `FieldsV1` wire form of `metadata.managedFields`: a tree
 * whose keys are path elements (`f:name` a field, `k:{"name":"x"}` an item of a list
 * keyed by its fields, `v:"x"` an item of a set, `i:0` an index) and where `.` (or an
 * empty node) marks the node itself as a member. Paths print as kube prints them in
 * conflict messages: `.spec.containers[name="app"].image`, `.metadata.finalizers[="x"]`.
 */
import { isJsonObject, type JsonObject } from './objects.js';

/** One step of a path: `f:…`, `k:…`, `v:…` or `i:…`. */
export type PathElement = string;

/** A path from the object's root. */
export type FieldPath = readonly PathElement[];

/** One node: whether the path ending here is a member, and the longer paths below it. */
interface FieldNode {
  member: boolean;
  readonly children: Map<PathElement, FieldNode>;
}

function newNode(member = false): FieldNode {
  return { member, children: new Map() };
}

const RANK: Readonly<Record<string, number>> = { f: 0, k: 1, v: 2, i: 3 };

/** structured-merge-diff's element order: fields, then keys, then values, then indices. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  const rank = (RANK[a[0] ?? ''] ?? 4) - (RANK[b[0] ?? ''] ?? 4);
  if (rank !== 0) return rank;
  if (a[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedChildren(node: FieldNode): [PathElement, FieldNode][] {
  return [...node.children].sort(([a], [b]) => comparePathElements(a, b));
}

function hasMembers(node: FieldNode): boolean {
  for (const child of node.children.values()) if (child.member || hasMembers(child)) return true;
  return false;
}

/** The node, or `undefined` when nothing is left in it. */
function kept(node: FieldNode): FieldNode | undefined {
  return node.member || node.children.size > 0 ? node : undefined;
}

function unionOf(a: FieldNode, b: FieldNode): FieldNode {
  if (b.children.size === 0 && (!b.member || a.member)) return a;
  if (a.children.size === 0 && (!a.member || b.member)) return b;
  const children = new Map(a.children);
  for (const [key, child] of b.children) {
    const mine = children.get(key);
    children.set(key, mine ? unionOf(mine, child) : child);
  }
  return { member: a.member || b.member, children };
}

function differenceOf(a: FieldNode, b: FieldNode): FieldNode | undefined {
  const children = new Map<PathElement, FieldNode>();
  for (const [key, child] of a.children) {
    const theirs = b.children.get(key);
    const rest = theirs ? differenceOf(child, theirs) : child;
    if (rest) children.set(key, rest);
  }
  return kept({ member: a.member && !b.member, children });
}

function intersectionOf(a: FieldNode, b: FieldNode): FieldNode | undefined {
  const children = new Map<PathElement, FieldNode>();
  for (const [key, child] of a.children) {
    const theirs = b.children.get(key);
    const both = theirs ? intersectionOf(child, theirs) : undefined;
    if (both) children.set(key, both);
  }
  return kept({ member: a.member && b.member, children });
}

/** The node without the subtrees the prefixes (from `depth` on) name. */
function cut(node: FieldNode, prefixes: readonly FieldPath[], depth: number): FieldNode | undefined {
  const relevant = new Map<PathElement, FieldPath[]>();
  for (const prefix of prefixes) {
    const element = prefix[depth] as PathElement;
    relevant.set(element, [...(relevant.get(element) ?? []), prefix]);
  }
  const children = new Map<PathElement, FieldNode>();
  for (const [key, child] of node.children) {
    const here = relevant.get(key);
    if (!here) {
      children.set(key, child);
      continue;
    }
    if (here.some((prefix) => prefix.length === depth + 1)) continue;
    const rest = cut(child, here, depth + 1);
    if (rest) children.set(key, rest);
  }
  return depth === 0 ? { member: false, children } : kept({ member: node.member, children });
}

/** A set of field paths (immutable from the outside: operations return new sets). */
export class FieldSet {
  private constructor(private readonly root: FieldNode) {}

  /** The empty set. */
  static empty(): FieldSet {
    return new FieldSet(newNode());
  }

  /** A set of the given paths. */
  static of(paths: Iterable<FieldPath>): FieldSet {
    const set = FieldSet.empty();
    for (const path of paths) set.insertInPlace(path);
    return set;
  }

  /** Reads a `fieldsV1` object (unknown shapes give an empty set, as a lenient decoder would). */
  static fromFieldsV1(fields: unknown): FieldSet {
    const root = newNode();
    const read = (value: unknown, node: FieldNode): void => {
      if (!isJsonObject(value)) return;
      for (const [key, child] of Object.entries(value)) {
        if (key === '.') {
          node.member = true;
          continue;
        }
        const childNode = newNode(!isJsonObject(child) || Object.keys(child).length === 0);
        read(child, childNode);
        node.children.set(key, childNode);
      }
    };
    read(fields, root);
    return new FieldSet(root);
  }

  /** The `fieldsV1` object: `.` first, then the elements in kube's order. */
  toFieldsV1(): JsonObject {
    const write = (node: FieldNode): JsonObject => {
      const out: JsonObject = {};
      if (node.member && node.children.size > 0) out['.'] = {};
      for (const [key, child] of sortedChildren(node)) out[key] = write(child);
      return out;
    };
    return write(this.root);
  }

  /** Whether no path is a member. */
  isEmpty(): boolean {
    return !hasMembers(this.root);
  }

  /** Whether `path` is a member. */
  has(path: FieldPath): boolean {
    let node: FieldNode | undefined = this.root;
    for (const element of path) {
      node = node.children.get(element);
      if (!node) return false;
    }
    return path.length > 0 && node.member;
  }

  /** Every member path, in structured-merge-diff's iteration order (each level's members first). */
  paths(): FieldPath[] {
    const out: FieldPath[] = [];
    const visit = (node: FieldNode, prefix: FieldPath): void => {
      const children = sortedChildren(node);
      for (const [key, child] of children) if (child.member) out.push([...prefix, key]);
      for (const [key, child] of children) if (child.children.size > 0) visit(child, [...prefix, key]);
    };
    visit(this.root, []);
    return out;
  }

  /** Members of this set or `other`. */
  union(other: FieldSet): FieldSet {
    return new FieldSet(unionOf(this.root, other.root));
  }

  /** Members of this set that `other` lacks. */
  difference(other: FieldSet): FieldSet {
    return new FieldSet(differenceOf(this.root, other.root) ?? newNode());
  }

  /** Members of both sets. */
  intersection(other: FieldSet): FieldSet {
    return new FieldSet(intersectionOf(this.root, other.root) ?? newNode());
  }

  /** This set without every path at or below the given prefixes (the ignored fields of a write). */
  withoutPrefixes(prefixes: readonly FieldPath[]): FieldSet {
    const covered = prefixes.filter((prefix) => prefix.length > 0);
    if (covered.length === 0) return this;
    const root = cut(this.root, covered, 0);
    return new FieldSet(root ?? newNode());
  }

  /** Also marks every `f:` node that has members below it (what "named fields are members" gives). */
  withParentFieldsAsMembers(): FieldSet {
    const mark = (node: FieldNode, isField: boolean, isRoot: boolean): FieldNode => {
      const children = new Map<PathElement, FieldNode>();
      for (const [key, child] of node.children) children.set(key, mark(child, key.startsWith('f:'), false));
      const parentOfMembers = isField && !isRoot && hasMembers(node);
      return { member: node.member || parentOfMembers, children };
    };
    return new FieldSet(mark(this.root, false, true));
  }

  private insertInPlace(path: FieldPath): void {
    if (path.length === 0) return;
    let node = this.root;
    for (const element of path) {
      let child = node.children.get(element);
      if (!child) {
        child = newNode();
        node.children.set(element, child);
      }
      node = child;
    }
    node.member = true;
  }
}

/** A key element's fields, as written in `k:{…}`. */
function keyFields(element: PathElement): [string, unknown][] {
  try {
    const parsed: unknown = JSON.parse(element.slice(2));
    return isJsonObject(parsed) ? Object.entries(parsed) : [];
  } catch {
    return [];
  }
}

/** A value as structured-merge-diff's `value.ToString` prints it (strings quoted). */
function valueText(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null);
}

/** Prints a path as kube's conflict messages do: `.spec.ports[port=80,protocol="TCP"].name`. */
export function pathText(path: FieldPath): string {
  return path
    .map((element) => {
      const body = element.slice(2);
      switch (element[0]) {
        case 'f':
          return `.${body}`;
        case 'k':
          return `[${keyFields(element)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([name, value]) => `${name}=${valueText(value)}`)
            .join(',')}]`;
        case 'v':
          return `[=${valueText(JSON.parse(body))}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}
