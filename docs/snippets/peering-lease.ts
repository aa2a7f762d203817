import { Operator } from '@kopf/reactor';

// Every replica runs this; only the holder of the Lease acts, the others wait paused.
const operator = new Operator({
  standalone: true, // no peering objects; the Lease alone decides
  lease: { namespace: 'operators', name: 'my-operator', duration: 15 },
  liveness: 'http://0.0.0.0:8080/healthz', // /readyz answers 503 on the replicas that wait
});
operator.on('paused', (reasons) => console.log(`waiting: ${reasons.join(', ')}`));
operator.on('resumed', () => console.log('this replica leads now'));
await operator.start();
