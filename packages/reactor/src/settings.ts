/**
 * The settings the reactor runs with: core's `OperatorSettings` (Kopf's defaults)
 * with the storages filled in — Kopf 1.44's smart progress storage (annotations,
 * reading the legacy `status.kopf.progress` too) and the annotations diff-base —
 * so that a kopf-ts operator takes over a Python Kopf operator's objects as they are.
 */
import {
  type DiffBaseStorage,
  defaultSettings,
  type OperatorSettings,
  type ProgressStorage,
} from '@kopf/core';
import { AnnotationsDiffBaseStorage } from './diffbase.js';
import { SmartProgressStorage } from './progress.js';

/** Settings whose storages are known (never `undefined`). */
export interface ResolvedSettings extends OperatorSettings {
  persistence: OperatorSettings['persistence'] & {
    progressStorage: ProgressStorage;
    diffbaseStorage: DiffBaseStorage;
  };
}

/** Deep-partial settings, as users give them. */
export type SettingsOverrides = { [G in keyof OperatorSettings]?: Partial<OperatorSettings[G]> };

/**
 * Kopf's defaults with `overrides` applied group by group, and the storages filled.
 *
 * @example
 * resolveSettings({ posting: { loggers: true }, persistence: { consistencyTimeout: 0 } });
 */
export function resolveSettings(overrides: SettingsOverrides | OperatorSettings = {}): ResolvedSettings {
  const settings = defaultSettings();
  for (const [group, values] of Object.entries(overrides) as [keyof OperatorSettings, object][]) {
    Object.assign(settings[group], values);
  }
  return fillStorages(settings);
}

/** Fills in the default storages where none are set (mutating, for settings changed by startup handlers). */
export function fillStorages(settings: OperatorSettings): ResolvedSettings {
  settings.persistence.progressStorage ??= new SmartProgressStorage();
  settings.persistence.diffbaseStorage ??= new AnnotationsDiffBaseStorage();
  return settings as ResolvedSettings;
}
