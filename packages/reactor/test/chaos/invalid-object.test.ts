/**
 * Found by the bad-input scenarios (see /work/notes/engine-findings.md, "From L2"):
 * when the API refuses every write to an object as invalid (422: here labels that
 * are not strings, stored before validation; in a cluster, an object stored under an
 * older, looser CRD schema), the finalizer's JSON patch fails and
 * `applyTransformations` (`applying.ts`) takes any 422 for a failed resourceVersion
 * `test`: it logs "conflicts with newer changes. Will try on the next cycle soon."
 * at debug level and waits for a newer change that never comes. Nothing at warning
 * level says that the object cannot be handled, nor why. (Without a deletion
 * handler there is no finalizer to add, the merge patch fails instead, and its 422
 * is logged as an error: that case is clear.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { on, Registry } from '@kopf/core';
import { type FakeApiServer, type OperatorRun, runOperator } from '@kopf/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { storedWithOddLabels } from './bad-input-support.js';

let run: OperatorRun | undefined;
let server: FakeApiServer | undefined;
let directory: string | undefined;
afterEach(async () => {
  await run?.stop();
  await server?.stop();
  if (directory) rmSync(directory, { recursive: true, force: true });
  run = server = directory = undefined;
});

describe('an object that the API refuses to change', () => {
  it("says so at warning level with the API's reason", async () => {
    directory = mkdtempSync(join(tmpdir(), 'kopf-invalid-object-'));
    server = await storedWithOddLabels(directory, { number: 1 });
    const registry = new Registry();
    on.create('kopfexamples', { registry }, function create_fn() {});
    on.delete('kopfexamples', { registry }, function delete_fn() {});
    run = await runOperator({ registry, server });
    await run.waitForLog('[default/odd-labels] Adding the finalizer, thus preventing the actual deletion.');
    const current = run;
    const line = await new Promise<string>((resolve, reject) => {
      const deadline = Date.now() + 15_000;
      const poll = (): void => {
        const found = current.lines('warning').find((l) => l.includes('[default/odd-labels]'));
        if (found) resolve(found);
        else if (Date.now() > deadline)
          reject(
            new Error(`No warning about default/odd-labels: ${current.lines('debug').slice(-5).join(' | ')}`),
          );
        else setTimeout(poll, 50);
      };
      poll();
    });
    expect(line).toContain('metadata.labels');
    expect(line).not.toContain('conflicts with newer changes');
  });
});
