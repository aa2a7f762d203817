import { describe, expect, it } from 'vitest';
import { describeHandler, isChangingHandler, isResourceHandler, isSpawningHandler } from './handlers.js';
import { on } from './on.js';
import { Registry } from './registry.js';

describe('handler records', () => {
  const registry = new Registry();
  const create = on.create('kopfexamples', { registry, id: 'create_fn' }, () => {});
  const daemon = on.daemon('kopfexamples', { registry, id: 'monitor' }, () => {});
  const timer = on.timer('kopfexamples', { registry, id: 'tick' }, () => {});
  const index = on.index('pods', { registry, id: 'by_label' }, () => {});
  const login = on.login({ registry, id: 'login' }, () => undefined);
  const webhook = on.validate('kopfexamples', { registry, id: 'check' }, () => {});

  it("are named as in Kopf's logs", () => {
    expect([create, daemon, timer, index, login, webhook].map(describeHandler)).toEqual([
      "Handler 'create_fn'",
      "Daemon 'monitor'",
      "Timer 'tick'",
      "Indexer 'by_label'",
      "Activity 'login'",
      "Webhook 'check'",
    ]);
  });

  it('are told apart by category', () => {
    expect([isChangingHandler(create), isChangingHandler(daemon)]).toEqual([true, false]);
    expect([isSpawningHandler(timer), isSpawningHandler(index)]).toEqual([true, false]);
    expect([isResourceHandler(webhook), isResourceHandler(login)]).toEqual([true, false]);
  });
});
