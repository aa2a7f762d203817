/**
 * kubectl for the CLI's end-to-end tests: kubectl 1.35 as @kopf/testing's kubectl
 * suite provides it (npm-packaged, extracted once), from the test support that
 * every package's tests share.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { npmKubectl } from '../../../testing/test/support/kubectl.js';

const run = promisify(execFile);
let binary: Promise<string> | undefined;

/** The path of the kubectl binary (provisioned on first use). */
export function kubectlPath(): Promise<string> {
  binary ??= npmKubectl(35).then((kubectl) => kubectl.path);
  return binary;
}

/** Runs kubectl against a kubeconfig; rejects with its stderr when it fails. */
export async function kubectl(kubeconfig: string, args: readonly string[], cwd?: string): Promise<string> {
  const path = await kubectlPath();
  try {
    const { stdout } = await run(path, [...args], {
      env: { ...process.env, KUBECONFIG: kubeconfig },
      timeout: 30_000,
      ...(cwd ? { cwd } : {}),
    });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`kubectl ${args.join(' ')} failed: ${stderr || String(error)}`, { cause: error });
  }
}

/** Runs kubectl until its output satisfies `accept` (polling), or fails with the last output. */
export async function kubectlUntil(
  kubeconfig: string,
  args: readonly string[],
  accept: (stdout: string) => boolean,
  timeoutSeconds = 30,
): Promise<string> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const stdout = await kubectl(kubeconfig, args);
    if (accept(stdout)) return stdout;
    if (Date.now() > deadline)
      throw new Error(`kubectl ${args.join(' ')} never satisfied the test; last:\n${stdout}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * `kubectl apply -f FILE` for a file with CRDs and objects of their kinds: kubectl (as with a
 * real cluster) refuses the objects until the new kinds are discovered, so it is applied again.
 */
export async function kubectlApply(kubeconfig: string, file: string, timeoutSeconds = 30): Promise<string> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    try {
      return await kubectl(kubeconfig, ['apply', '-f', file]);
    } catch (error) {
      if (Date.now() > deadline || !String(error).includes('ensure CRDs are installed first')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
