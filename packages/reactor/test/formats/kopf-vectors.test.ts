/**
 * Differential test against Python Kopf itself: `fixtures/kopf-vectors.json` holds
 * what Kopf 1.44's own storage, essence, diff and progression code produced for a
 * set of inputs (see `fixtures/generate-kopf-vectors.py`). Every input is replayed
 * through kopf-ts's public entry, and the outputs must match byte for byte where
 * Kopf writes text (annotation values, essences) and by value elsewhere.
 */
import { readFileSync } from 'node:fs';
import type { Body, Diff, DiffBaseStorage, ProgressRecord, ProgressStorage, Reason } from '@kopf/core';
import { Patch, reduceDiff } from '@kopf/core';
import type { HandlerOutcome } from '@kopf/reactor';
import {
  AnnotationKeys,
  AnnotationsDiffBaseStorage,
  AnnotationsProgressStorage,
  diff,
  dumpKopfJson,
  MultiDiffBaseStorage,
  SmartProgressStorage,
  State,
  StatusDiffBaseStorage,
  StatusProgressStorage,
  Timestamp,
} from '@kopf/reactor';
import { describe, expect, it } from 'vitest';

type Json = Record<string, unknown>;
interface StorageSpec {
  readonly kind: 'annotations' | 'status' | 'smart' | 'multi';
  readonly options?: Json;
  readonly storages?: StorageSpec[];
}
interface Vectors {
  readonly base: string;
  readonly keys: { prefix: string; v1: boolean; id: string; body: Body | null; keys: string[] }[];
  readonly progressBodies: Body[];
  readonly progress: {
    storage: StorageSpec;
    id: string;
    body: number;
    fetched: ProgressRecord | null;
    stored: { record: ProgressRecord; patch: Json }[];
    purged: Json;
    touched: { value: string | null; patch: Json }[];
  }[];
  readonly essenceBodies: Body[];
  readonly essences: {
    storage: StorageSpec;
    body: number;
    extraFields: string[][];
    essence: string;
    cleared: { progress: StorageSpec; essence: string }[];
    patch: Json;
    fetched: Json | null;
  }[];
  readonly diffs: { old: unknown; new: unknown; diff: unknown[][]; reduced: Record<string, unknown[][]> }[];
  readonly states: {
    name: string;
    body: Body;
    now: number;
    owned: string[];
    purpose: Reason;
    selected: string[];
    outcomes: Record<
      string,
      { final: boolean; delay?: number | null; error?: string | null; subrefs?: string[] }
    >;
    storage: StorageSpec;
    before: { counts: number[]; extras: Record<string, number[]>; done: boolean; delays: number[] };
    counts: number[];
    extras: Record<string, number[]>;
    done: boolean;
    delays: number[];
    stored: Json;
    final: Json;
  }[];
}

const vectors = JSON.parse(
  readFileSync(new URL('./fixtures/kopf-vectors.json', import.meta.url), 'utf8'),
) as Vectors;

/** Kopf's snake_case storage options in kopf-ts's camelCase. */
function camelOptions(options: Json = {}): Json {
  const renamed = Object.entries(options).map(([key, value]) => [
    key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()),
    value,
  ]);
  return Object.fromEntries(renamed);
}

function progressStorage(spec: StorageSpec): ProgressStorage {
  const options = camelOptions(spec.options);
  if (spec.kind === 'annotations') return new AnnotationsProgressStorage(options);
  if (spec.kind === 'status') return new StatusProgressStorage(options);
  return new SmartProgressStorage(options);
}

function diffbaseStorage(spec: StorageSpec): DiffBaseStorage {
  const options = camelOptions(spec.options);
  if (spec.kind === 'annotations') return new AnnotationsDiffBaseStorage(options);
  if (spec.kind === 'status') return new StatusDiffBaseStorage(options);
  return new MultiDiffBaseStorage((spec.storages ?? []).map(diffbaseStorage));
}

/** A diff as Kopf prints it: `[op, field, old, new]` with `None` for absent values, in a stable order. */
function kopfItems(items: Diff): string[] {
  return items
    .map((item) => JSON.stringify([item.operation, item.field, item.old ?? null, item.new ?? null]))
    .sort();
}

function sortedItems(items: unknown[][]): string[] {
  return items.map((item) => JSON.stringify(item)).sort();
}

const counters = (list: number[]) => ({ succeeded: list[0], failed: list[1], left: list[2] });

describe('annotation keys match Kopf', () => {
  it.each(vectors.keys.map((v) => [`${v.prefix.slice(0, 24)} v1=${v.v1} ${v.id.slice(0, 40)}`, v] as const))(
    '%s',
    (_, vector) => {
      const keys = new AnnotationKeys({ prefix: vector.prefix, v1: vector.v1 });
      expect(keys.keysFor(vector.id, vector.body ?? undefined)).toEqual(vector.keys);
    },
  );
});

describe('progress storages match Kopf', () => {
  it.each(
    vectors.progress.map(
      (v) => [`${JSON.stringify(v.storage)} ${v.id.slice(0, 30)} body#${v.body}`, v] as const,
    ),
  )('%s', (_, vector) => {
    const storage = progressStorage(vector.storage);
    const body = vectors.progressBodies[vector.body] ?? {};
    expect(storage.fetch(vector.id, body) ?? null).toEqual(vector.fetched);
    for (const { record, patch: expected } of vector.stored) {
      const patch = new Patch();
      storage.store(vector.id, record, body, patch);
      expect(patch.toMergePatch()).toEqual(expected);
    }
    const purged = new Patch();
    storage.purge(vector.id, body, purged);
    expect(purged.toMergePatch()).toEqual(vector.purged);
    for (const { value, patch: expected } of vector.touched) {
      const patch = new Patch();
      storage.touch(body, patch, value ?? undefined);
      expect(patch.toMergePatch()).toEqual(expected);
    }
  });
});

describe('essences and diff-base storages match Kopf byte for byte', () => {
  it.each(
    vectors.essences.map(
      (v) => [`${JSON.stringify(v.storage)} body#${v.body} ${JSON.stringify(v.extraFields)}`, v] as const,
    ),
  )('%s', (_, vector) => {
    const storage = diffbaseStorage(vector.storage);
    const body = vectors.essenceBodies[vector.body] ?? {};
    const essence = storage.build(body, vector.extraFields);
    expect(dumpKopfJson(essence)).toBe(vector.essence);
    for (const cleared of vector.cleared) {
      expect(dumpKopfJson(progressStorage(cleared.progress).clear(essence))).toBe(cleared.essence);
    }
    const patch = new Patch();
    storage.store(body, patch, essence);
    expect(patch.toMergePatch()).toEqual(vector.patch);
    expect(storage.fetch(body) ?? null).toEqual(vector.fetched);
  });
});

describe('diffs match Kopf', () => {
  it.each(vectors.diffs.map((v) => [`${JSON.stringify(v.old)} → ${JSON.stringify(v.new)}`, v] as const))(
    '%s',
    (_, vector) => {
      const result = diff(vector.old, vector.new);
      expect(kopfItems(result)).toEqual(sortedItems(vector.diff));
      for (const [path, expected] of Object.entries(vector.reduced)) {
        expect(kopfItems(reduceDiff(result, path === '' ? [] : path.split('.')))).toEqual(
          sortedItems(expected),
        );
      }
    },
  );
});

describe('handler states match Kopf', () => {
  const baseMillis = Timestamp.parse(vectors.base).epochMicros / 1000;

  it.each(vectors.states.map((v) => [`${v.name} (${v.storage.kind})`, v] as const))('%s', (_, vector) => {
    const storage = progressStorage(vector.storage);
    const now = baseMillis + vector.now * 1000;
    let state = State.fromStorage({ body: vector.body, storage, handlers: vector.owned, now })
      .withPurpose(vector.purpose)
      .withHandlers(vector.selected, now);
    const extrasOf = (s: State) =>
      Object.fromEntries([...s.extras].map(([k, v]) => [k, [v.succeeded, v.failed, v.left]]));
    expect([state.counts, extrasOf(state), state.isDone]).toEqual([
      counters(vector.before.counts),
      vector.before.extras,
      vector.before.done,
    ]);
    expect(state.delays(now).map((d) => Math.round(d * 1e6))).toEqual(
      vector.before.delays.map((d) => Math.round(d * 1e6)),
    );

    const outcomes = new Map<string, HandlerOutcome>();
    for (const [id, spec] of Object.entries(vector.outcomes)) {
      outcomes.set(id, { ...spec, error: spec.error ? new Error(spec.error) : undefined });
    }
    state = state.withOutcomes(outcomes, now);
    const patch = new Patch();
    state.storeInto({ body: vector.body, patch, storage });
    expect(patch.toMergePatch()).toEqual(vector.stored);
    if (state.isDone) state.purgeFrom({ body: vector.body, patch, storage, handlers: vector.owned });
    expect(patch.toMergePatch()).toEqual(vector.final);
    expect([state.counts, extrasOf(state), state.isDone]).toEqual([
      counters(vector.counts),
      vector.extras,
      vector.done,
    ]);
    expect(state.delays(now).map((d) => Math.round(d * 1e6))).toEqual(
      vector.delays.map((d) => Math.round(d * 1e6)),
    );
  });
});
