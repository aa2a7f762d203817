import { execute, on, type SubhandlerFn } from '@kopf/core';

const createVolume: SubhandlerFn = ({ logger }) => logger.info('Volume created.');
const createDatabase: SubhandlerFn = ({ logger }) => logger.info('Database created.');
const announce: SubhandlerFn = ({ logger }) => logger.info('Announced.');

on.create('kopfexamples', async function provision({ logger }) {
  // Runs these as sub-handlers now; returns only when both have succeeded (or failed for good).
  await execute({ fns: { volume: createVolume, database: createDatabase } });
  logger.info('Storage is ready; announcing.');
  await execute({ fns: { announce } });
});
