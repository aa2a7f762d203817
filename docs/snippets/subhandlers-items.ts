import { on, register, subhandler, TemporaryError } from '@kopf/core';

// One sub-handler per item: create_fn/item1, create_fn/item2, each retried on its own.
on.create('kopfexamples', function create_fn({ spec }) {
  for (const item of (spec.items as string[] | undefined) ?? []) {
    subhandler({ id: item })(function create_item({ logger, retry }) {
      if (item === 'item2' && retry < 2) throw new TemporaryError(`${item} is not ready`, { delay: 5 });
      logger.info(`=== Handling creation for ${item}. ===`);
      return { item }; // status["create_fn/item2"]
    });
  }
});

// The same with register(fn, options), and with sub-handler options.
on.update('kopfexamples', function update_fn({ diff }) {
  for (const { field } of diff) {
    const path = field.join('.');
    register(({ logger }) => logger.info(`Applying ${path}`), { id: path, retries: 3 });
  }
});
