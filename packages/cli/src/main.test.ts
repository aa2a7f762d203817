import { describe, expect, it } from 'vitest';
import { main } from './main.js';

function capture() {
  const lines = { out: '', err: '' };
  return { lines, output: { out: (t: string) => (lines.out += t), err: (t: string) => (lines.err += t) } };
}

describe('main', () => {
  it('prints the version from package.json', async () => {
    const { lines, output } = capture();
    expect(await main(['version'], output)).toBe(0);
    expect(lines.out).toMatch(/^kopf-ts \d+\.\d+\.\d+\n$/);
  });

  it('names an unknown command and exits with 2', async () => {
    const { lines, output } = capture();
    expect(await main(['frobnicate'], output)).toBe(2);
    expect(lines.err).toContain("unknown command 'frobnicate'");
  });
});
