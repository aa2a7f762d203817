/**
 * Requests to stop `kopf run`: SIGINT, SIGTERM, and `kopf dev`'s IPC message or
 * disconnection. Listened to from the very start of the command, so a request that
 * comes while the operator is still loading or connecting is not lost (or left to
 * Node's default of dying on the spot): it is kept and honoured once there is an
 * operator to stop. A second signal exits at once.
 */
import { onStopRequest } from './dev-protocol.js';

/** Collects stop requests until someone handles them. */
export class StopRequests {
  #reason: string | undefined;
  #handler: ((reason: string) => void) | undefined;
  readonly #unsubscribe: () => void;
  readonly #onSignal = (signal: NodeJS.Signals): void => {
    if (this.#reason !== undefined) {
      this.#exitAtOnce(signal);
      return;
    }
    this.#request(`Signal ${signal} is received. Operator is stopping.`);
  };
  readonly #exitAtOnce: (signal: NodeJS.Signals) => void;

  /**
   * @param env the environment (tells whether `kopf dev` is the parent)
   * @param exitAtOnce called on a second signal; should exit the process
   */
  constructor(env: NodeJS.ProcessEnv, exitAtOnce: (signal: NodeJS.Signals) => void) {
    this.#exitAtOnce = exitAtOnce;
    process.on('SIGINT', this.#onSignal);
    process.on('SIGTERM', this.#onSignal);
    this.#unsubscribe = onStopRequest(env, (reason) => this.#request(reason));
  }

  /** Why a stop was requested, if it was. */
  get reason(): string | undefined {
    return this.#reason;
  }

  /** Calls `handler` on the first request (at once, if one came already). */
  onRequest(handler: (reason: string) => void): void {
    this.#handler = handler;
    if (this.#reason !== undefined) handler(this.#reason);
  }

  /** Stops listening. */
  dispose(): void {
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
    this.#unsubscribe();
  }

  #request(reason: string): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#handler?.(reason);
  }
}
