import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileWatcher } from './file-watching.js';

let directory: string;
let watcher: FileWatcher | undefined;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'kopf-cli-watching-'));
});

afterEach(async () => {
  watcher?.close();
  await rm(directory, { recursive: true, force: true });
});

/** A watcher whose bursts are collected; `next()` waits for the next one. */
function collect(): { watcher: FileWatcher; next: () => Promise<readonly string[]> } {
  const bursts: (readonly string[])[] = [];
  const created = new FileWatcher((changed) => bursts.push(changed), 50);
  const next = async (): Promise<readonly string[]> => {
    const seen = bursts.length;
    for (let i = 0; i < 200 && bursts.length === seen; i++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    return bursts[seen] ?? [];
  };
  return { watcher: created, next };
}

describe('FileWatcher', () => {
  it('reports a changed file once per burst of writes', async () => {
    const file = join(directory, 'operator.ts');
    await writeFile(file, 'one');
    const collected = collect();
    watcher = collected.watcher;
    watcher.add([file]);
    const burst = collected.next();
    await writeFile(file, 'two');
    await writeFile(file, 'three!');
    expect(await burst).toEqual([file]);
  });

  it('notices a save by rename, as editors do it, and keeps watching after it', async () => {
    const file = join(directory, 'operator.ts');
    await writeFile(file, 'one');
    const collected = collect();
    watcher = collected.watcher;
    watcher.add([file]);
    let burst = collected.next();
    await writeFile(`${file}.tmp`, 'saved by rename');
    await rename(`${file}.tmp`, file);
    expect(await burst).toEqual([file]);
    burst = collected.next();
    await writeFile(file, 'and again, longer');
    expect(await burst).toEqual([file]);
  });

  it('ignores other files in the same directory', async () => {
    const file = join(directory, 'operator.ts');
    await writeFile(file, 'one');
    const collected = collect();
    watcher = collected.watcher;
    watcher.add([file]);
    const burst = collected.next();
    await writeFile(join(directory, 'unrelated.ts'), 'noise');
    await writeFile(file, 'two');
    expect(await burst).toEqual([file]);
    expect(watcher.files).toEqual([file]);
  });
});
