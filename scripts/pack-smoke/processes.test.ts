import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { BackgroundProcess, CommandError, runCommand, runOk } from './processes.js';

const cwd = tmpdir();
const node = (script: string): [string, string[]] => [process.execPath, ['-e', script]];

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runCommand', () => {
  it('returns the exit code, stdout alone, and both streams interleaved', async () => {
    const result = await runCommand(...node('console.log("out"); console.error("err"); process.exit(3)'), {
      cwd,
    });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('out\n');
    expect(result.output).toContain('out\n');
    expect(result.output).toContain('err\n');
    expect(result.timedOut).toBe(false);
  });

  it('kills a command that outlives its time limit', async () => {
    const result = await runCommand(...node('setTimeout(() => {}, 60000)'), { cwd, timeout: 0.5 });
    expect(result.timedOut).toBe(true);
    expect(result.code).toBeNull();
  });
});

describe('runOk', () => {
  it('returns stdout on success and throws CommandError with the output otherwise', async () => {
    await expect(runOk(...node('console.log("fine")'), { cwd })).resolves.toBe('fine\n');
    await expect(runOk(...node('console.error("broken"); process.exit(2)'), { cwd })).rejects.toThrow(
      CommandError,
    );
    await expect(runOk(...node('console.error("broken"); process.exit(2)'), { cwd })).rejects.toThrow(
      /exited with 2:\nbroken/,
    );
  });
});

describe('BackgroundProcess', () => {
  it('resolves with the match once the output has it, and stops on SIGTERM with its own exit code', async () => {
    const server = BackgroundProcess.start(
      ...node(
        'setTimeout(() => console.log("ready at 4242"), 200); process.on("SIGTERM", () => process.exit(0)); setInterval(() => {}, 1000)',
      ),
      { cwd },
    );
    const match = await server.waitFor(/ready at (\d+)/, 30);
    expect(match[1]).toBe('4242');
    expect(await server.stop()).toBe(0);
  });

  it('fails the wait when the process exits first, with what it printed', async () => {
    const crashing = BackgroundProcess.start(...node('console.error("cannot listen"); process.exit(1)'), {
      cwd,
    });
    await expect(crashing.waitFor(/ready/, 30)).rejects.toThrow(/it exited:\ncannot listen/);
    await crashing.stop();
  });

  it('stops the whole process group, children included, and kills what ignores SIGTERM', async () => {
    const parent = BackgroundProcess.start(
      ...node(
        [
          'const { spawn } = require("node:child_process");',
          'const child = spawn(process.execPath, ["-e", "process.on(\'SIGTERM\', () => {}); setInterval(() => {}, 1000)"], { stdio: "ignore" });',
          'console.log("child " + child.pid);',
          'process.on("SIGTERM", () => {});',
          'setInterval(() => {}, 1000);',
        ].join('\n'),
      ),
      { cwd },
    );
    const [, pid] = await parent.waitFor(/child (\d+)/, 30);
    expect(isAlive(Number(pid))).toBe(true);
    expect(await parent.stop(0.5)).toBeNull();
    for (let i = 0; i < 100 && isAlive(Number(pid)); i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isAlive(Number(pid))).toBe(false);
  });
});
