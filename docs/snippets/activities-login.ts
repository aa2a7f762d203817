import { readFile } from 'node:fs/promises';
import { type ConnectionInfo, on } from '@kopf/core';

// The operator serves another cluster: its address and a token, read from mounted files.
on.login(async function remote_cluster(): Promise<ConnectionInfo> {
  const token = (await readFile('/var/run/secrets/remote/token', 'utf8')).trim();
  return {
    server: 'https://remote-kubernetes.example.com:6443',
    caPath: '/var/run/secrets/remote/ca.crt',
    token,
    expiration: new Date(Date.now() + 50 * 60_000), // re-login before the token expires
  };
});
