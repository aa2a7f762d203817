/**
 * One round at a time: the emulated controllers react to store changes by running an
 * asynchronous reconcile round on the next tick; changes during a round ask for one
 * more round after it, never a parallel one. `stop()` waits for a round in progress.
 */

/** Runs `round` after `schedule()` calls, serialised and coalesced. */
export class Reconciler {
  private pending: NodeJS.Immediate | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly round: () => Promise<void>) {}

  /** Asks for a round soon (one more after the current one, if one runs). */
  schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.pending) return;
    this.pending = setImmediate(() => {
      this.pending = undefined;
      this.running = this.round()
        .catch(() => undefined)
        .finally(() => {
          this.running = undefined;
          if (this.again) {
            this.again = false;
            this.schedule();
          }
        });
    });
  }

  /** Stops scheduling; resolves when a round in progress has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pending) clearImmediate(this.pending);
    this.pending = undefined;
    await this.running;
  }
}
