import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type HandlerRun, parseSideStore, readSideStores, SideStore } from './side-store.js';

const RUN: HandlerRun = {
  kind: 'run',
  at: 2,
  pid: 10,
  handler: 'create_first',
  object: 'chaos-000001',
  generation: 1,
  value: 1,
  retry: 0,
  outcome: 'success',
  persistedBefore: false,
};

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('side store', () => {
  it('reads back what every process appended, ordered by time', () => {
    dir = mkdtempSync(join(tmpdir(), 'chaos-store-'));
    const one = SideStore.open(join(dir, 'runs-1.ndjson'));
    const two = SideStore.open(join(dir, 'runs-2.ndjson'));
    one.append({ ...RUN, at: 3 });
    two.append({ kind: 'operator-error', at: 1, pid: 11, message: 'boom' });
    one.append(RUN);
    one.close();
    two.close();
    const { records, torn } = readSideStores(dir);
    expect(records.map((record) => record.at)).toEqual([1, 2, 3]);
    expect(torn).toBe(0);
  });

  it('counts a line torn by a kill instead of failing on it', () => {
    dir = mkdtempSync(join(tmpdir(), 'chaos-store-'));
    const path = join(dir, 'runs-1.ndjson');
    appendFileSync(path, `${JSON.stringify(RUN)}\n{"kind":"run","at":`);
    expect(readSideStores(dir)).toEqual({ records: [RUN], torn: 1 });
    expect(parseSideStore('{"kind":"other"}\n\n').torn).toBe(1);
  });
});
