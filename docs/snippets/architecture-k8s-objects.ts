import {
  ApiConflictError,
  countingClient,
  createApiClient,
  getObject,
  patchObject,
  postEvent,
} from '@kopf/k8s';

const client = await createApiClient({ context: 'staging', requestTimeout: 30 });
const counting = countingClient(client); // counts calls by verb and resource
// A discovered Resource, or a literal (with `subresources: ['status']`, status goes to /status):
const resource = { group: 'kopf.dev', version: 'v1', plural: 'kopfexamples', namespaced: true };
const ref = { name: 'kopf-example-1', namespace: 'default' };

const object = await getObject(counting, resource, ref); // undefined when absent
if (object) {
  try {
    await patchObject(counting, resource, ref, { status: { ok: true } }, { type: 'merge' });
  } catch (error) {
    if (!(error instanceof ApiConflictError)) throw error;
  }
  await postEvent(counting, { involved: object, type: 'Normal', reason: 'Checked', message: 'All good.' });
}
console.log(counting.counts()); // { 'get kopfexamples': 1, 'patch kopfexamples': 1, 'create events': 1 }
client.close();
