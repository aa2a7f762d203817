/**
 * Creating many benchmark objects at once, as a burst: a fixed number of POSTs in
 * flight over one keep-alive client, each object's creation time noted just before
 * its POST is sent (the moment the user "created" it).
 */
import type { ApiClient } from '@kopf/k8s';
import { createObject } from '@kopf/k8s';
import { exampleBody, KOPF_EXAMPLES } from './kopf-examples.js';
import { epochMs } from './latencies.js';

/** Options of {@link createExamples}. */
export interface CreateOptions {
  /** The first object's index; default 0. */
  readonly from?: number;
  /** POSTs in flight; default 16. */
  readonly inFlight?: number;
  /** Create them already handled (see `exampleBody`). */
  readonly handled?: boolean;
}

/** Creates `count` objects; resolves with each index's creation time (`epochMs`). */
export async function createExamples(
  client: ApiClient,
  count: number,
  options: CreateOptions = {},
): Promise<Map<number, number>> {
  const from = options.from ?? 0;
  const created = new Map<number, number>();
  let next = from;
  const worker = async (): Promise<void> => {
    while (next < from + count) {
      const index = next++;
      const body = exampleBody(index, options.handled);
      created.set(index, epochMs());
      await createObject(client, KOPF_EXAMPLES, body);
    }
  };
  await Promise.all(Array.from({ length: options.inFlight ?? 16 }, worker));
  return created;
}
