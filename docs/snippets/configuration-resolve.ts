import { defaultSettings } from '@kopf/core';
import { resolveSettings } from '@kopf/reactor';

const defaults = defaultSettings(); // a fresh OperatorSettings with Kopf 1.44's defaults
console.log(defaults.queueing.errorDelays); // [1, 1, 2, 3, 5, 8, 13, …, 610]

// What an operator runs with: the defaults, the overrides, and the storages filled in.
const settings = resolveSettings({ execution: { defaultBackoff: 5 } });
console.log(settings.persistence.progressStorage.constructor.name); // SmartProgressStorage
