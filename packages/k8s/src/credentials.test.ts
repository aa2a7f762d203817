import { describe, expect, it } from 'vitest';
import type { ConnectionInfo } from './credentials.js';
import { credentialsFromConnectionInfo, LoginVault, proxyFromEnvironment } from './credentials.js';
import { ApiConfigError, ApiLoginError } from './errors.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('credentialsFromConnectionInfo', () => {
  it('builds bearer headers with the scheme, and accepts PEM as text or base64', async () => {
    const credentials = await credentialsFromConnectionInfo({
      server: 'https://k8s.example:6443/',
      token: 'tkn',
      scheme: 'Token',
      caData: Buffer.from(PEM).toString('base64'),
      certificateData: PEM,
      insecure: true,
      defaultNamespace: 'ops',
    });
    expect(credentials).toMatchObject({
      server: 'https://k8s.example:6443',
      headers: { Authorization: 'Token tkn' },
      tls: { ca: PEM, cert: PEM, rejectUnauthorized: false },
      defaultNamespace: 'ops',
    });
  });

  it('uses basic auth when there is no token', async () => {
    const credentials = await credentialsFromConnectionInfo({
      server: 'https://x',
      username: 'u',
      password: 'p',
    });
    expect(credentials.headers.Authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  it('names the unreadable file and the fix', async () => {
    const error = await credentialsFromConnectionInfo({
      server: 'https://x',
      caPath: '/nonexistent/ca.crt',
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiConfigError);
    expect(error.message).toBe('Reading the CA failed: /nonexistent/ca.crt is not readable. Fix the path.');
  });
});

describe('proxyFromEnvironment', () => {
  it('takes HTTPS_PROXY for https servers unless NO_PROXY covers the host', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'internal.example,.corp' };
    expect(proxyFromEnvironment('https://k8s.example', env)).toBe('http://proxy:3128');
    expect(proxyFromEnvironment('https://internal.example', env)).toBeUndefined();
    expect(proxyFromEnvironment('https://api.corp', env)).toBeUndefined();
    expect(proxyFromEnvironment('https://k8s.example', { ...env, NO_PROXY: '*' })).toBeUndefined();
    expect(proxyFromEnvironment('https://k8s.example', {})).toBeUndefined();
  });
});

describe('LoginVault', () => {
  it('uses the highest priority first and falls back after a rejection, then logs in again', async () => {
    let logins = 0;
    const vault = new LoginVault(async (): Promise<ConnectionInfo[]> => {
      logins++;
      return [
        { server: 'https://a', token: `low-${logins}`, priority: 1 },
        { server: 'https://a', token: `high-${logins}`, priority: 5 },
      ];
    });
    const first = await vault.current();
    expect(first.headers.Authorization).toBe('Bearer high-1');
    await vault.invalidate(first);
    const second = await vault.current();
    expect(second.headers.Authorization).toBe('Bearer low-1');
    await vault.invalidate(second);
    expect((await vault.current()).headers.Authorization).toBe('Bearer high-2');
    expect(logins).toBe(2);
  });

  it('drops expired credentials and never reuses rejected ones', async () => {
    let now = 1000;
    const vault = new LoginVault(
      async () => ({ server: 'https://a', token: 'same', expiration: new Date(2000) }),
      () => now,
    );
    const credentials = await vault.current();
    now = 3000;
    await expect(vault.current()).rejects.toThrow(ApiLoginError);
    now = 1000;
    await vault.invalidate(credentials);
    await expect(vault.current()).rejects.toThrow(/returned no usable credentials/);
  });

  it('wraps a failing login function', async () => {
    const vault = new LoginVault(async () => {
      throw new Error('no network');
    });
    await expect(vault.current()).rejects.toThrow(
      'Authenticating failed: the login handler threw: Error: no network',
    );
  });
});
