/**
 * Peering (Kopf's example 06): run this operator twice, with different priorities
 * (`kopf run … --priority 10` and `--priority 5`, or `--peering default` to make
 * peering mandatory): only the higher one acts; when it stops, the other takes over
 * within the peering lifetime. Apply the peering CRDs first (`@kopf/reactor/peering.yaml`).
 */
import { on } from '@kopf/core';

on.create('kopfexamples', function create_fn({ logger }) {
  const who = process.env.POD_ID ?? 'this operator';
  logger.info(`Handled by ${who}.`);
  return { by: who };
});
