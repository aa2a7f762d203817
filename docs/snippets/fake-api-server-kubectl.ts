import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { FakeApiServer } from '@kopf/testing';

const run = promisify(execFile);

const server = await FakeApiServer.start();
try {
  await server.writeKubeconfig('/tmp/fake-kubeconfig', { namespace: 'default' });
  const env = { ...process.env, KUBECONFIG: '/tmp/fake-kubeconfig' };
  await run('kubectl', ['apply', '-f', 'crd.yaml'], { env });
  await run('kubectl', ['apply', '-f', 'obj.yaml'], { env });
  const { stdout } = await run('kubectl', ['get', 'kopfexamples', '-o', 'name'], { env });
  console.log(stdout); // kopfexample.kopf.dev/kopf-example-1
} finally {
  await server.stop();
}
