import { describe, expect, it } from 'vitest';
import { StrategicMergeError, strategicMergePatch } from './strategic-merge.js';

interface Case {
  readonly name: string;
  readonly original: Record<string, unknown>;
  readonly patch: Record<string, unknown>;
  readonly expected: Record<string, unknown>;
}

/**
 * Each `expected` is what the real kubectl 1.33 computed for the same original and patch with
 * `kubectl patch -f original.json --local --type=strategic -p PATCH -o json`: client-go's own
 * strategic merge, with the same options kube-apiserver uses.
 */
const ORACLE_CASES: readonly Case[] = [
  {
    name: 'map merge: null deletes, nested maps merge, unmatched nulls are ignored',
    original: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', labels: { a: '1', b: '2' } },
      data: { k: 'v', gone: 'x' },
    },
    patch: { metadata: { labels: { b: null, c: '3', never: null } }, data: { gone: null, added: 'y' } },
    expected: {
      apiVersion: 'v1',
      data: { added: 'y', k: 'v' },
      kind: 'ConfigMap',
      metadata: { labels: { a: '1', c: '3' }, name: 'x' },
    },
  },
  {
    name: 'metadata.finalizers merge as a set',
    original: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', finalizers: ['a.io/one', 'b.io/two'] },
    },
    patch: { metadata: { finalizers: ['b.io/two', 'c.io/three'] } },
    expected: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { finalizers: ['a.io/one', 'b.io/two', 'c.io/three'], name: 'x' },
    },
  },
  {
    name: '$deleteFromPrimitiveList removes finalizers',
    original: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', finalizers: ['a.io/one', 'b.io/two', 'c.io/three'] },
    },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b.io/two', 'z.io/absent'] } },
    expected: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { finalizers: ['a.io/one', 'c.io/three'], name: 'x' },
    },
  },
  {
    name: 'metadata.ownerReferences merge by uid',
    original: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p1', uid: 'u1' }] },
    },
    patch: {
      metadata: {
        ownerReferences: [
          { apiVersion: 'v1', kind: 'Pod', name: 'p2', uid: 'u2' },
          { apiVersion: 'v1', kind: 'Pod', name: 'p1', uid: 'u1', controller: true },
        ],
      },
    },
    expected: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'x',
        ownerReferences: [
          { apiVersion: 'v1', kind: 'Pod', name: 'p2', uid: 'u2' },
          { apiVersion: 'v1', controller: true, kind: 'Pod', name: 'p1', uid: 'u1' },
        ],
      },
    },
  },
  {
    name: 'containers and env merge by name with $setElementOrder, as kubectl apply sends',
    original: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              {
                name: 'app',
                image: 'app:1',
                env: [
                  { name: 'A', value: '1' },
                  { name: 'B', value: '2' },
                ],
              },
              { name: 'sidecar', image: 'side:1' },
            ],
          },
        },
      },
    },
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }, { name: 'extra' }],
            containers: [
              {
                name: 'app',
                image: 'app:2',
                '$setElementOrder/env': [{ name: 'B' }, { name: 'A' }, { name: 'C' }],
                env: [{ name: 'C', value: '3' }],
              },
              { name: 'extra', image: 'extra:1' },
            ],
          },
        },
      },
    },
    expected: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              {
                env: [
                  { name: 'B', value: '2' },
                  { name: 'A', value: '1' },
                  { name: 'C', value: '3' },
                ],
                image: 'app:2',
                name: 'app',
              },
              { image: 'side:1', name: 'sidecar' },
              { image: 'extra:1', name: 'extra' },
            ],
          },
        },
      },
    },
  },
  {
    name: 'a new list item without $setElementOrder goes before the old ones',
    original: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'a', image: 'a' },
              { name: 'b', image: 'b' },
            ],
          },
        },
      },
    },
    patch: { spec: { template: { spec: { containers: [{ name: 'c', image: 'c' }] } } } },
    expected: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { image: 'c', name: 'c' },
              { image: 'a', name: 'a' },
              { image: 'b', name: 'b' },
            ],
          },
        },
      },
    },
  },
  {
    name: 'the patch reorders the items it names',
    original: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'a', image: 'a' },
              { name: 'b', image: 'b' },
              { name: 'c', image: 'c' },
            ],
          },
        },
      },
    },
    patch: {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'c', image: 'c2' },
              { name: 'a', image: 'a2' },
            ],
          },
        },
      },
    },
    expected: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { image: 'b', name: 'b' },
              { image: 'c2', name: 'c' },
              { image: 'a2', name: 'a' },
            ],
          },
        },
      },
    },
  },
  {
    name: '$patch: delete removes a list item by its merge key',
    original: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'a', image: 'a', ports: [{ containerPort: 80 }, { containerPort: 443 }] },
              { name: 'b', image: 'b' },
            ],
          },
        },
      },
    },
    patch: {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'b', $patch: 'delete' },
              {
                name: 'a',
                ports: [
                  { containerPort: 443, $patch: 'delete' },
                  { containerPort: 8080, name: 'alt' },
                ],
              },
            ],
          },
        },
      },
    },
    expected: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { image: 'a', name: 'a', ports: [{ containerPort: 8080, name: 'alt' }, { containerPort: 80 }] },
            ],
          },
        },
      },
    },
  },
  {
    name: '$patch: replace in a list replaces the whole list',
    original: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'a', image: 'a' },
              { name: 'b', image: 'b' },
            ],
          },
        },
      },
    },
    patch: {
      spec: { template: { spec: { containers: [{ name: 'z', image: 'z' }, { $patch: 'replace' }] } } },
    },
    expected: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ image: 'z', name: 'z' }] } },
      },
    },
  },
  {
    name: '$patch: replace on a map replaces the map',
    original: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1', b: '2' } },
    patch: { data: { $patch: 'replace', c: '3' } },
    expected: { apiVersion: 'v1', data: { c: '3' }, kind: 'ConfigMap', metadata: { name: 'x' } },
  },
  {
    name: '$patch: delete on a map empties it',
    original: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', labels: { a: '1' } },
      data: { a: '1' },
    },
    patch: { metadata: { labels: { $patch: 'delete' } } },
    expected: { apiVersion: 'v1', data: { a: '1' }, kind: 'ConfigMap', metadata: { labels: {}, name: 'x' } },
  },
  {
    name: '$retainKeys drops the volume source that is not retained',
    original: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{ name: 'a', image: 'a' }],
            volumes: [
              { name: 'data', emptyDir: {} },
              { name: 'cfg', configMap: { name: 'c' } },
            ],
          },
        },
      },
    },
    patch: {
      spec: {
        template: {
          spec: {
            volumes: [{ name: 'data', $retainKeys: ['hostPath', 'name'], hostPath: { path: '/srv' } }],
          },
        },
      },
    },
    expected: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{ image: 'a', name: 'a' }],
            volumes: [
              { hostPath: { path: '/srv' }, name: 'data' },
              { configMap: { name: 'c' }, name: 'cfg' },
            ],
          },
        },
      },
    },
  },
  {
    name: 'deployment strategy switches with $retainKeys',
    original: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'a' }] } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      },
    },
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    expected: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'Recreate' },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ image: 'a', name: 'a' }] } },
      },
    },
  },
  {
    name: 'lists without a merge strategy are replaced',
    original: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{ name: 'a', image: 'a', args: ['x', 'y'] }],
            tolerations: [{ key: 'k1', operator: 'Exists' }],
          },
        },
      },
    },
    patch: {
      spec: {
        template: {
          spec: {
            tolerations: [{ key: 'k2', operator: 'Exists' }],
            containers: [{ name: 'a', args: ['z'] }],
          },
        },
      },
    },
    expected: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{ args: ['z'], image: 'a', name: 'a' }],
            tolerations: [{ key: 'k2', operator: 'Exists' }],
          },
        },
      },
    },
  },
  {
    name: 'service ports merge by port',
    original: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    },
    patch: {
      spec: {
        ports: [
          { port: 443, name: 'https', targetPort: 8443 },
          { port: 80, targetPort: 9090 },
        ],
      },
    },
    expected: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: {
        ports: [
          { name: 'https', port: 443, targetPort: 8443 },
          { name: 'http', port: 80, targetPort: 9090 },
        ],
      },
    },
  },
  {
    name: 'webhooks merge by name',
    original: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'w' },
      webhooks: [
        {
          name: 'a.kopf.dev',
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
          clientConfig: { url: 'https://a' },
        },
      ],
    },
    patch: {
      webhooks: [
        {
          name: 'b.kopf.dev',
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
          clientConfig: { url: 'https://b' },
        },
        { name: 'a.kopf.dev', clientConfig: { url: 'https://a2' } },
      ],
    },
    expected: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'w' },
      webhooks: [
        {
          admissionReviewVersions: ['v1'],
          clientConfig: { url: 'https://b' },
          name: 'b.kopf.dev',
          sideEffects: 'None',
        },
        {
          admissionReviewVersions: ['v1'],
          clientConfig: { url: 'https://a2' },
          name: 'a.kopf.dev',
          sideEffects: 'None',
        },
      ],
    },
  },
  {
    name: 'pod status conditions merge by type',
    original: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'a', image: 'a' }] },
      status: {
        conditions: [
          { type: 'Ready', status: 'False' },
          { type: 'Initialized', status: 'True' },
        ],
      },
    },
    patch: { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    expected: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ image: 'a', name: 'a' }] },
      status: {
        conditions: [
          { status: 'True', type: 'Ready' },
          { status: 'True', type: 'Initialized' },
        ],
      },
    },
  },
  {
    name: 'new subtrees are added without their nulls and directives',
    original: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
    patch: { metadata: { labels: { a: '1', b: null }, annotations: { $patch: 'delete' } }, data: { k: 'v' } },
    expected: {
      apiVersion: 'v1',
      data: { k: 'v' },
      kind: 'ConfigMap',
      metadata: { labels: { a: '1' }, name: 'x' },
    },
  },
  {
    name: '$setElementOrder alone reorders a list',
    original: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'a', image: 'a' },
              { name: 'b', image: 'b' },
            ],
          },
        },
      },
    },
    patch: {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } } },
    },
    expected: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { image: 'b', name: 'b' },
              { image: 'a', name: 'a' },
            ],
          },
        },
      },
    },
  },
];

function targetOf(object: Record<string, unknown>): { group: string; version: string; kind: string } {
  const apiVersion = String(object.apiVersion);
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return { group: group!, version: version!, kind: String(object.kind) };
}

describe('strategicMergePatch against client-go (kubectl 1.33 --local)', () => {
  it.each(ORACLE_CASES)('$name', ({ original, patch, expected }) => {
    expect(strategicMergePatch(original, patch, targetOf(original))).toEqual(expected);
  });

  it('mutates neither the original nor the patch', () => {
    for (const { original, patch } of ORACLE_CASES) {
      const before = structuredClone({ original, patch });
      strategicMergePatch(original, patch, targetOf(original));
      expect({ original, patch }).toEqual(before);
    }
  });
});

describe('strategicMergePatch merge keys by target kind', () => {
  const containers = { spec: { containers: [{ name: 'a', image: 'a:1' }] } };
  const patch = { spec: { containers: [{ name: 'b', image: 'b:1' }] } };

  it('merges pod containers by name, but replaces the same list in a custom resource', () => {
    const pod = strategicMergePatch(containers, patch, { group: '', version: 'v1', kind: 'Pod' });
    expect(pod).toEqual({
      spec: {
        containers: [
          { name: 'b', image: 'b:1' },
          { name: 'a', image: 'a:1' },
        ],
      },
    });
    const custom = strategicMergePatch(containers, patch, {
      group: 'kopf.dev',
      version: 'v1',
      kind: 'KopfExample',
    });
    expect(custom).toEqual(patch);
  });

  it('merges metadata.finalizers as a set in every kind', () => {
    const original = { metadata: { finalizers: ['kopf.dev/a'] } };
    const result = strategicMergePatch(
      original,
      { metadata: { finalizers: ['kopf.dev/b'] } },
      { group: 'kopf.dev', version: 'v1', kind: 'KopfExample' },
    );
    expect(result).toEqual({ metadata: { finalizers: ['kopf.dev/b', 'kopf.dev/a'] } });
  });

  it('merges pod template containers of jobs and cron jobs', () => {
    const job = { spec: { template: { spec: { containers: [{ name: 'a', image: 'a' }] } } } };
    const jobPatch = { spec: { template: { spec: { containers: [{ name: 'a', image: 'a2' }] } } } };
    expect(strategicMergePatch(job, jobPatch, { group: 'batch', version: 'v1', kind: 'Job' })).toEqual(
      jobPatch,
    );
    const cron = { spec: { jobTemplate: job } };
    const cronPatch = {
      spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'b', image: 'b' }] } } } } },
    };
    const merged = strategicMergePatch(cron, cronPatch, { group: 'batch', version: 'v1', kind: 'CronJob' });
    expect(merged).toEqual({
      spec: {
        jobTemplate: {
          spec: {
            template: {
              spec: {
                containers: [
                  { name: 'b', image: 'b' },
                  { name: 'a', image: 'a' },
                ],
              },
            },
          },
        },
      },
    });
  });
});

describe('strategicMergePatch refusing what kube-apiserver refuses', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'a', image: 'a' }] } };
  const target = { group: '', version: 'v1', kind: 'Pod' };
  const refusal = (patch: Record<string, unknown>): StrategicMergeError => {
    try {
      strategicMergePatch(pod, patch, target);
    } catch (error) {
      if (error instanceof StrategicMergeError) return error;
      throw error;
    }
    throw new Error('expected a StrategicMergeError');
  };

  it('refuses $patch: merge in a map and in a list (kube: "unknown patch type")', () => {
    expect(refusal({ spec: { $patch: 'merge' } }).message).toMatch(/"\$patch: merge" at "spec"/);
    expect(refusal({ spec: { containers: [{ name: 'a', $patch: 'merge' }] } }).code).toBe(400);
  });

  it('refuses a list item without its merge key, naming the key', () => {
    expect(refusal({ spec: { containers: [{ image: 'b' }] } }).message).toMatch(/no merge key "name"/);
  });

  it('refuses a key that $retainKeys does not list', () => {
    const error = refusal({ spec: { $retainKeys: ['containers'], hostNetwork: true } });
    expect(error.message).toMatch(/does not list "hostNetwork"/);
    expect(error.code).toBe(400);
  });

  it('refuses a $setElementOrder that is not a list', () => {
    expect(refusal({ spec: { '$setElementOrder/containers': 'a' } }).message).toMatch(/must be a list/);
  });

  it('refuses lists of lists (422) and lists mixing maps and scalars', () => {
    const nested = () =>
      strategicMergePatch({ metadata: { finalizers: ['x'] } }, { metadata: { finalizers: [['a']] } }, target);
    expect(nested).toThrow(/holds lists/);
    expect(captureCode(nested)).toBe(422);
    const mixed = { metadata: { finalizers: ['a', { b: 1 }] } };
    expect(() => strategicMergePatch({ metadata: { finalizers: ['x'] } }, mixed, target)).toThrow(
      /mixes maps and scalars/,
    );
  });

  it('ignores $deleteFromPrimitiveList that is not a list, as kube does', () => {
    const original = { metadata: { finalizers: ['a'] } };
    const patch = { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } };
    expect(strategicMergePatch(original, patch, target)).toEqual(original);
  });
});

function captureCode(action: () => unknown): number | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof StrategicMergeError ? error.code : undefined;
  }
  return undefined;
}
