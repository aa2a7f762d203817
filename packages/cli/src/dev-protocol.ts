/**
 * The little protocol between `kopf dev` and the `kopf run` process it starts per
 * generation, over Node's IPC channel: the operator process reports which project
 * files it imported (so `kopf dev` watches exactly those), and stops gracefully
 * when asked or when `kopf dev` goes away. Signals are not used for stopping: the
 * operator runs in its own process group, so a Ctrl-C reaches `kopf dev` alone.
 */

/** The environment variable that tells `kopf run` it runs under `kopf dev`. */
export const DEV_IPC_ENV = 'KOPF_DEV_IPC';

/** Operator process → `kopf dev`: the project files it imported (also when loading failed). */
export interface ImportedMessage {
  readonly type: 'kopf:imported';
  readonly files: readonly string[];
}

/** `kopf dev` → operator process: stop gracefully. */
export interface StopMessage {
  readonly type: 'kopf:stop';
  /** Why, for the operator's log line. */
  readonly reason: string;
}

/** Whether this process runs under `kopf dev` (forked with an IPC channel and told so). */
export function underDev(env: NodeJS.ProcessEnv): boolean {
  return env[DEV_IPC_ENV] === '1' && typeof process.send === 'function';
}

/** Reports the imported files to `kopf dev`, if running under it. */
export function reportImported(env: NodeJS.ProcessEnv, files: readonly string[]): void {
  if (!underDev(env)) return;
  const message: ImportedMessage = { type: 'kopf:imported', files };
  process.send?.(message);
}

/**
 * Calls `stop` when `kopf dev` asks for it or disconnects (it exited); returns the unsubscriber.
 * Outside of `kopf dev` it does nothing.
 */
export function onStopRequest(env: NodeJS.ProcessEnv, stop: (why: string) => void): () => void {
  if (!underDev(env)) return () => {};
  const onMessage = (message: unknown): void => {
    const request = message as Partial<StopMessage> | undefined;
    if (request?.type === 'kopf:stop')
      stop(`${request.reason ?? 'kopf dev asks to stop'}: the operator is stopping.`);
  };
  const onDisconnect = (): void => stop('kopf dev has exited: the operator is stopping.');
  process.on('message', onMessage);
  process.on('disconnect', onDisconnect);
  return () => {
    process.off('message', onMessage);
    process.off('disconnect', onDisconnect);
    process.disconnect?.();
  };
}

/** Whether an IPC message is an {@link ImportedMessage}. */
export function isImportedMessage(message: unknown): message is ImportedMessage {
  const candidate = message as Partial<ImportedMessage> | undefined;
  return candidate?.type === 'kopf:imported' && Array.isArray(candidate.files);
}
