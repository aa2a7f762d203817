import { describe, expect, it } from 'vitest';
import type { Body } from './bodies.js';
import { runInHandlerContext } from './contexts.js';
import { HandlerContextError, PermanentError } from './errors.js';
import { type EventSink, event, exception, info, type PostedEvent, warn } from './events.js';
import { defaultSettings } from './settings.js';

const body: Body = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'u' } };
const ref = { apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: 'ns', uid: 'u' };

function sink(): EventSink & { posted: PostedEvent[] } {
  const posted: PostedEvent[] = [];
  return { posted, post: (posted_) => posted.push(posted_) };
}

describe('events', () => {
  it('posts typed events to the context sink, one per object', () => {
    const eventSink = sink();
    runInHandlerContext({ eventSink }, () => {
      event(body, { type: 'Custom', reason: 'Why', message: 'what' });
      info([body, [body]], { reason: 'Fine' });
      warn(body, { reason: 'Careful', message: 'hmm' });
    });
    expect(eventSink.posted).toEqual([
      { ref, type: 'Custom', reason: 'Why', message: 'what' },
      { ref, type: 'Normal', reason: 'Fine', message: '' },
      { ref, type: 'Normal', reason: 'Fine', message: '' },
      { ref, type: 'Warning', reason: 'Careful', message: 'hmm' },
    ]);
  });

  it('posts exceptions as Kopf does: reason from the error class, message joined', () => {
    const explicit = sink();
    exception(body, { message: 'Deploy failed:', error: new PermanentError('no quota'), sink: explicit });
    exception(body, { reason: 'Oops', sink: explicit });
    exception(body, { error: 'plain text', sink: explicit });
    expect(explicit.posted.map(({ type, reason, message }) => [type, reason, message])).toEqual([
      ['Error', 'PermanentError', 'Deploy failed: no quota'],
      ['Error', 'Oops', ''],
      ['Error', 'Error', 'plain text'],
    ]);
  });

  it('honours posting.enabled and posting.level from the context', () => {
    const eventSink = sink();
    const settings = defaultSettings();
    settings.posting.level = 'warning';
    runInHandlerContext({ eventSink, settings }, () => {
      info(body, { reason: 'Hidden' });
      warn(body, { reason: 'Shown' });
      exception(body, { reason: 'AlsoShown' });
    });
    settings.posting.enabled = false;
    runInHandlerContext({ eventSink, settings }, () => {
      event(body, { type: 'Normal', reason: 'Disabled' });
      warn(body, { reason: 'Disabled' });
    });
    expect(eventSink.posted.map((e) => e.reason)).toEqual(['Shown', 'AlsoShown']);
  });

  it('needs a sink outside of a handler', () => {
    expect(() => info(body, { reason: 'Nowhere' })).toThrow(HandlerContextError);
    expect(() => info(body, { reason: 'Nowhere' })).toThrow(/'Nowhere' event failed: there is no event sink/);
  });
});
