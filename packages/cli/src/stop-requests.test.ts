import { afterEach, describe, expect, it } from 'vitest';
import { StopRequests } from './stop-requests.js';

let requests: StopRequests | undefined;
afterEach(() => {
  requests?.dispose();
  requests = undefined;
});

describe('StopRequests', () => {
  it('keeps a signal that came before anyone handles it, and hands it over later', () => {
    requests = new StopRequests({}, () => undefined);
    process.emit('SIGTERM', 'SIGTERM');
    expect(requests.reason).toBe('Signal SIGTERM is received. Operator is stopping.');
    const handled: string[] = [];
    requests.onRequest((reason) => handled.push(reason));
    expect(handled).toEqual(['Signal SIGTERM is received. Operator is stopping.']);
  });

  it('exits at once on a second signal', () => {
    const exits: string[] = [];
    requests = new StopRequests({}, (signal) => exits.push(signal));
    process.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([]);
    process.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual(['SIGINT']);
  });

  it('stops listening when disposed', () => {
    const before = process.listenerCount('SIGINT');
    requests = new StopRequests({}, () => undefined);
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    requests.dispose();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
