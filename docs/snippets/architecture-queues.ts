import { ObjectQueues, type Processor, systemClock } from '@kopf/reactor';

interface Change {
  readonly id: string;
  readonly version: string;
}

// One sequential worker per object, objects in parallel (at most 10 here).
// The second argument (a ProcessingContext) has `pressure`: its signal aborts when newer events arrive.
const processor: Processor<Change> = async (change) => {
  console.log(`handling ${change.id} at ${change.version}`);
  return undefined; // or { retryAfter: ms } to be called again unless newer events come first
};
const queues = new ObjectQueues<Change>({
  processor,
  keyOf: (change) => change.id,
  versionOf: (change) => change.version,
  clock: systemClock,
  idleTimeout: 5000,
  consistencyTimeout: 0,
  workerLimit: 10,
});
queues.push({ id: 'a', version: '1' });
queues.push({ id: 'a', version: '2' }); // after version 1, never beside it
queues.push({ id: 'b', version: '1' }); // in parallel with `a`
await queues.close(2000); // lets queued events finish for up to 2 s
