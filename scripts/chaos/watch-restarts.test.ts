import { describe, expect, it } from 'vitest';
import { watchRestartReason } from './watch-restarts.js';

function line(message: string) {
  return { time: new Date(0), level: 'debug' as const, logger: 'kopf.reactor', message };
}

describe('watch restarts from the log', () => {
  it("reads the reason of the engine's restart line for the resource", () => {
    const message = "Restarting the watch-stream for kopfexamples in 'chaos': expired.";
    expect(watchRestartReason(line(message), 'kopfexamples')).toBe('expired');
    expect(watchRestartReason(line(message.replace('expired', 'closed')), 'kopfexamples')).toBe('closed');
  });

  it('ignores other lines and other resources', () => {
    expect(watchRestartReason(line('Handler create_fn succeeded.'), 'kopfexamples')).toBeUndefined();
    const other = 'Restarting the watch-stream for namespaces cluster-wide: expired.';
    expect(watchRestartReason(line(other), 'kopfexamples')).toBeUndefined();
  });
});
