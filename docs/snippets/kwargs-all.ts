import { on } from '@kopf/core';

on.update('kopfexamples', function show_everything(kwargs) {
  const { logger, body, spec, status, meta, uid, name, namespace, labels, annotations } = kwargs;
  const { reason, old, new: fresh, diff, patch, retry, started, runtime, resource, memo } = kwargs;
  logger.info(`${reason} of ${resource.kind} ${namespace}/${name} (uid ${uid}), attempt ${retry + 1}`);
  logger.info(`first attempt at ${started.toISOString()}, ${runtime} s ago`);
  logger.info(
    `spec ${JSON.stringify(spec)}, status ${JSON.stringify(status)}, generation ${meta.generation}`,
  );
  logger.info(`labels ${JSON.stringify(labels)}, annotations ${Object.keys(annotations).length}`);
  logger.info(`was ${JSON.stringify(old?.spec)}, is ${JSON.stringify(fresh?.spec)}, ${diff.length} changes`);
  logger.debug(`the whole object: ${JSON.stringify(body)}; memo keys: ${Object.keys(memo)}`);
  patch.status.lastSeenGeneration = meta.generation ?? null;
});
