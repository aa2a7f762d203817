import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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

  it("shows a command's help for --help anywhere in its arguments, and for kopf help COMMAND", async () => {
    const viaFlag = capture();
    expect(await main(['generate', 'rbac', 'operator.ts', '--help'], viaFlag.output)).toBe(0);
    expect(viaFlag.lines.out).toMatch(/^Usage: kopf generate rbac /);
    const viaHelp = capture();
    expect(await main(['help', 'run'], viaHelp.output)).toBe(0);
    expect(viaHelp.lines.out).toMatch(/^Usage: kopf run /);
  });

  it('prints generated YAML to stdout', async () => {
    const { lines, output } = capture();
    expect(await main(['generate', 'crd', '--group', 'kopf.dev', '--kind', 'KopfExample'], output)).toBe(0);
    expect(parse(lines.out)).toMatchObject({
      kind: 'CustomResourceDefinition',
      metadata: { name: 'kopfexamples.kopf.dev' },
    });
    expect(lines.out).not.toContain('*a1'); // no YAML aliases: every object spelled out for kubectl and people
  });

  it('reports a failure as one line with the command and its exit code', async () => {
    const { lines, output } = capture();
    expect(await main(['generate', 'secrets'], output)).toBe(2);
    expect(lines.err).toBe("kopf generate secrets: cannot generate 'secrets': crd, rbac or deployment.\n");
  });
});
