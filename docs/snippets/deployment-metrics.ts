import { Operator } from '@kopf/reactor';
import { Counter } from 'prom-client';

const operator = new Operator({
  liveness: 'http://0.0.0.0:8080/healthz', // and /readyz on the same port
  metrics: 'http://0.0.0.0:9090/metrics',
});
await operator.start();
console.log(operator.livenessUrl, operator.metricsUrl); // the real ports, also when 0 was asked

// Your own metrics are served beside the operator's (prom-client 15, the same registry):
const orders = new Counter({ name: 'shop_orders_total', help: 'Orders seen.', registers: [] });
operator.metrics?.registry.registerMetric(orders);
orders.inc();
