import { on, Registry } from '@kopf/core';
import { AdmissionConfigurationError } from '@kopf/reactor';
import { FakeApiServer, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';

let server: FakeApiServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('the Operator and admission', () => {
  it('refuses to start with admission handlers but no webhook server, naming the one line that fixes it', async () => {
    const registry = new Registry();
    on.validate('configmaps', { registry }, function check() {});
    server = await FakeApiServer.start();
    const starting = runOperator({ registry, server });
    await expect(starting).rejects.toBeInstanceOf(AdmissionConfigurationError);
    await expect(starting).rejects.toThrow(/admission: \{ server: new WebhookServer\(\)/);
  });
});
