import { on, Registry } from '@kopf/core';
import { Operator } from '@kopf/reactor';

const examples = new Registry();
const configs = new Registry();
on.create('kopfexamples', { registry: examples }, function create_fn() {
  return { seen: true };
});
on.event('configmaps', { registry: configs }, function config_seen({ name, type, logger }) {
  logger.info(`${type ?? 'LISTED'} ${name}`);
});

// Each has its own memo, indexes, metrics, endpoints and settings.
const first = new Operator({
  registry: examples,
  namespaces: ['team-a'],
  liveness: 'http://0.0.0.0:8080/healthz',
});
const second = new Operator({
  registry: configs,
  namespaces: ['team-b'],
  liveness: 'http://0.0.0.0:8081/healthz',
});
await Promise.all([first.start(), second.start()]);
// … later:
await Promise.all([first.stop(), second.stop()]);
