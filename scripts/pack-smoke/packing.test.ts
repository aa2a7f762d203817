import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PackingError, packAll, publishableDirectories } from './packing.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kopf-packing-test-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function writePackage(
  name: string,
  manifest: Record<string, unknown>,
  files: Record<string, string> = {},
): void {
  const directory = join(root, 'packages', name);
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'package.json'), JSON.stringify(manifest));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(directory, file), text);
}

describe('publishableDirectories', () => {
  it('lists the packages that are not private, skipping folders without a package.json', () => {
    writePackage('b', { name: '@x/b', version: '1.0.0' });
    writePackage('a', { name: '@x/a', version: '1.0.0', private: true });
    mkdirSync(join(root, 'packages', 'c'));
    expect(publishableDirectories(root)).toEqual([join(root, 'packages', 'b')]);
  });
});

describe('packAll', () => {
  it('packs each package into the destination and lists the files the tarball holds', async () => {
    writePackage(
      'b',
      { name: '@x/b', version: '1.2.3', files: ['index.js'] },
      { 'index.js': '', 'secret.txt': '' },
    );
    const destination = join(root, 'out');
    const [packed] = await packAll(root, destination);
    expect(packed?.name).toBe('@x/b');
    expect(packed?.version).toBe('1.2.3');
    expect(packed?.tarball).toBe(join(destination, 'x-b-1.2.3.tgz'));
    expect(existsSync(packed?.tarball ?? '')).toBe(true);
    expect([...(packed?.files ?? [])].sort()).toEqual(['index.js', 'package.json']);
  });

  it('fails with PackingError, naming the package, when npm cannot pack it', async () => {
    writePackage('broken', { name: '@x/broken', version: '1.0.0', scripts: { prepack: 'exit 1' } });
    await expect(packAll(root, join(root, 'out'))).rejects.toThrow(PackingError);
    await expect(packAll(root, join(root, 'out'))).rejects.toThrow(/Packing .*packages\/broken failed/);
  });
});
