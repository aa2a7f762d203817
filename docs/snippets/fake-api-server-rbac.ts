import { FakeApiServer } from '@kopf/testing';

const server = await FakeApiServer.start({
  namespaces: ['operators'],
  rbac: true, // Roles, ClusterRoles and their bindings are enforced for all but the admin
  users: {
    'operator-token': 'system:serviceaccount:operators:my-operator',
    'alice-token': { username: 'alice', groups: ['devs'] },
  },
  // Checked before RBAC: false or a reason answers a real 403.
  authorize: (user, request) =>
    request.kind === 'resource' && request.resource === 'secrets' && user.username === 'alice'
      ? 'alice never reads secrets'
      : true,
});

// A kubeconfig that authenticates as the operator's service account:
const kubeconfig = server.kubeconfig({ token: 'operator-token', namespace: 'operators' });
// Or with a client certificate signed by the server's CA (CN = user, O = groups):
const { certPem, keyPem } = await server.clientCertificate('bob', ['devs']);
console.log(kubeconfig.length, certPem.length, keyPem.length);
await server.stop();
