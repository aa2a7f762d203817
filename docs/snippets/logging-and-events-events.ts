import { type Body, event, exception, info, on, warn } from '@kopf/core';

on.update('kopfexamples', async function update_fn({ body, spec }) {
  // Normal, Warning, or any type with any reason: shown by kubectl describe.
  info(body, { reason: 'Scaled', message: `Now ${spec.replicas} replicas.` });
  warn(body, { reason: 'Drift', message: 'The database has more replicas than asked.' });
  event(body, { type: 'Normal', reason: 'Audited', message: 'Checked by the auditor.' });
  try {
    await deploy();
  } catch (error) {
    // type Error; reason defaults to the error's name, message is "Deploy failed: <its message>".
    exception(body, { message: 'Deploy failed:', error });
  }
});

// Several objects at once: a parent and its children.
export function reportDrift(parent: Body, children: Body[]): void {
  warn([parent, children], { reason: 'Drift', message: 'Children differ from the parent.' });
}

async function deploy(): Promise<void> {}
