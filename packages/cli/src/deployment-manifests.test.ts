import { describe, expect, it } from 'vitest';
import { deploymentManifest } from './deployment-manifests.js';

const base = {
  name: 'my-op',
  namespace: 'ops',
  image: 'registry.example.com/my-op:1',
  runArgs: ['operator.ts', '-A'],
};

describe('deploymentManifest', () => {
  it('runs kopf run with the service account, one replica, recreated on updates', () => {
    const deployment = deploymentManifest(base);
    expect(deployment).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'my-op', namespace: 'ops' },
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { 'app.kubernetes.io/name': 'my-op' } },
      },
    });
    const pod = (deployment.spec as { template: { metadata: unknown; spec: Record<string, unknown> } })
      .template;
    expect(pod.metadata).toEqual({ labels: { 'app.kubernetes.io/name': 'my-op' } });
    expect(pod.spec.serviceAccountName).toBe('my-op');
    expect(pod.spec.containers).toEqual([
      {
        name: 'operator',
        image: 'registry.example.com/my-op:1',
        workingDir: '/app',
        command: ['node', 'node_modules/@kopf/cli/bin/kopf.js'],
        args: ['run', 'operator.ts', '-A'],
      },
    ]);
  });

  it('passes the liveness endpoint to kopf run and probes it', () => {
    const deployment = deploymentManifest({
      ...base,
      liveness: 'http://0.0.0.0:8080/healthz',
      workdir: '/srv',
    });
    const [container] = (deployment.spec as { template: { spec: { containers: Record<string, unknown>[] } } })
      .template.spec.containers;
    expect(container).toMatchObject({
      workingDir: '/srv',
      args: ['run', 'operator.ts', '-A', '--liveness', 'http://0.0.0.0:8080/healthz'],
      livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
    });
  });

  it('refuses a liveness URL that is not http with a port', () => {
    expect(() => deploymentManifest({ ...base, liveness: 'https://0.0.0.0:8080/' })).toThrow(
      /must be http:\/\/ with a port/,
    );
    expect(() => deploymentManifest({ ...base, liveness: 'nonsense' })).toThrow(/is not a URL/);
  });
});
