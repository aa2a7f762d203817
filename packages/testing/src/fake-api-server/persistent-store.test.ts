import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PersistentStore } from './persistent-store.js';
import { PersistenceError } from './write-ahead-log.js';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'kopf-persist-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const names = (store: PersistentStore): string[] =>
  store.list('s').map((object) => (object.metadata as { name: string }).name);

describe('PersistentStore', () => {
  it('keeps objects, the revision counter and the history across a reopen', async () => {
    const first = await PersistentStore.open(directory, 100);
    first.create('s', 'a', { metadata: { name: 'a' } });
    first.create('s', 'b', { metadata: { name: 'b' } });
    first.remove('s', 'a', { metadata: { name: 'a' } });
    await first.whenDurable();
    expect(first.durableRevision).toBe(3);
    await first.close();
    const second = await PersistentStore.open(directory, 100);
    expect(names(second)).toEqual(['b']);
    expect(second.revision).toBe(3);
    expect(second.changesSince('s', 0)?.map((change) => change.type)).toEqual(['ADDED', 'ADDED', 'DELETED']);
    expect(second.create('s', 'c', { metadata: { name: 'c' } }).metadata).toMatchObject({
      resourceVersion: '4',
    });
    await second.close();
  });

  it('replaces a long log with a snapshot, and restores from both', async () => {
    const store = await PersistentStore.open(directory, 1000, 2048);
    for (let index = 0; index < 100; index += 1) {
      store.create('s', `k${String(index).padStart(3, '0')}`, {
        metadata: { name: `n${index}` },
        pad: 'x'.repeat(50),
      });
      await store.whenDurable();
    }
    await store.close();
    const snapshot = (await stat(join(directory, 'snapshot.json'))).size;
    expect(snapshot).toBeGreaterThan(2048);
    // The log never outgrows twice the last snapshot (plus the line that crossed the limit).
    expect((await stat(join(directory, 'log.ndjson'))).size).toBeLessThan(2 * snapshot + 200);
    const reopened = await PersistentStore.open(directory, 1000, 2048);
    expect(reopened.list('s')).toHaveLength(100);
    expect(reopened.revision).toBe(100);
    expect(reopened.changesSince('s', 50)).toHaveLength(50);
    await reopened.close();
  });

  it('ignores a torn last line (a write the crash cut, never acknowledged)', async () => {
    const store = await PersistentStore.open(directory, 100);
    store.create('s', 'a', { metadata: { name: 'a' } });
    await store.whenDurable();
    await store.close();
    const log = join(directory, 'log.ndjson');
    await writeFile(log, `${await readFile(log, 'utf8')}{"t":"ADDED","s":"s","k":"b","v":2,"o":{"meta`);
    const reopened = await PersistentStore.open(directory, 100);
    expect(names(reopened)).toEqual(['a']);
    reopened.create('s', 'c', { metadata: { name: 'c' } });
    await reopened.whenDurable();
    await reopened.close();
    const again = await PersistentStore.open(directory, 100);
    expect(names(again)).toEqual(['a', 'c']);
    await again.close();
  });

  it('refuses a directory another live process holds, and takes over a stale lock', async () => {
    await writeFile(join(directory, 'lock'), String(process.ppid));
    await expect(PersistentStore.open(directory, 10)).rejects.toThrow(PersistenceError);
    await expect(PersistentStore.open(directory, 10)).rejects.toThrow(
      /another fake API server \(pid \d+\) persists to it/,
    );
    await writeFile(join(directory, 'lock'), '999999999');
    const store = await PersistentStore.open(directory, 10);
    expect(await readFile(join(directory, 'lock'), 'utf8')).toBe(String(process.pid));
    await store.close();
  });
});
