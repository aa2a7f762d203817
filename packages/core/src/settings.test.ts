import { describe, expect, it } from 'vitest';
import { defaultSettings } from './settings.js';

describe('defaultSettings', () => {
  it("has Kopf 1.44's defaults in every group", () => {
    const settings = defaultSettings();
    expect(Object.keys(settings).sort()).toEqual(
      [
        'admission',
        'background',
        'execution',
        'networking',
        'peering',
        'persistence',
        'posting',
        'process',
        'queueing',
        'scanning',
        'watching',
      ].sort(),
    );
    expect(settings.posting).toMatchObject({ enabled: true, loggers: false, level: 'info' });
    expect(settings.peering).toMatchObject({ name: 'default', priority: 0, lifetime: 60, standalone: false });
    expect(settings.watching).toMatchObject({ reconnectBackoff: 0.1, inactivityTimeout: 70 });
    expect(settings.queueing).toMatchObject({ idleTimeout: 5, exitTimeout: 2, workerLimit: undefined });
    expect(settings.queueing.errorDelays.at(-1)).toBe(610);
    expect(settings.execution.defaultBackoff).toBe(60);
    expect(settings.networking).toMatchObject({
      requestTimeout: 300,
      errorBackoffs: [1, 1, 2, 3, 5, 8, 13, 21],
    });
    expect(settings.persistence).toMatchObject({
      finalizer: 'kopf.zalando.org/KopfFinalizerMarker',
      progressStorage: undefined,
      diffbaseStorage: undefined,
      consistencyTimeout: 5,
    });
    expect(settings.background.cancellationPolling).toBe(60);
    expect(settings.process.ultimateExitingTimeout).toBe(600);
  });

  it('returns an independent object on each call', () => {
    const first = defaultSettings();
    first.posting.enabled = false;
    expect(defaultSettings().posting.enabled).toBe(true);
  });
});
