// Who can reach what when the service is started carelessly:
// - `shishin serve` on a non-loopback HOST without API_TOKENS / TRUSTED_PROXY_USER_HEADER, and
//   NODE_ENV=production without either, refuse to start with one line naming both variables;
// - off loopback with credentials there is no development identity, and the identity-switch cookie
//   never makes anyone a governance member;
// - the trusted proxy's user header counts only from TRUSTED_PROXY_ADDRESSES (default loopback).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Request } from 'express';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { assertSafeExposure, createAuthenticator } from '../../src/channels/web/authentication.js';
import { startWebServer, type RunningWebServer } from '../../src/channels/web/web-server.js';
import { loadConfig } from '../../src/config.js';
import { isShishinError } from '../../src/errors.js';
import { call } from '../api/http-client.js';
import { createTestApp, repositoryRoot, startTestServer, type TestApp, type TestServer } from '../helpers/test-app.js';

interface ServeResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** True when the process got as far as listening (it is then stopped). */
  listened: boolean;
}

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** Runs `shishin serve`; resolves at exit, or stops it once it listens (which these tests call a failure). */
async function serve(environment: Record<string, string>): Promise<ServeResult> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'shishin-exposure-'));
  folders.push(folder);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repositoryRoot, 'bin', 'shishin.js'), 'serve', '--port', '0'], {
      cwd: repositoryRoot,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        LOG_LEVEL: 'silent',
        DATA_DIR: folder,
        CORPUS_DIR: path.join(repositoryRoot, 'corpus'),
        RULES_FILE: path.join(repositoryRoot, 'rules', 'risk-rules.yaml'),
        PROMPTS_DIR: path.join(repositoryRoot, 'prompts'),
        ...environment,
      },
    });
    let stdout = '';
    let stderr = '';
    let listened = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (!listened && /listening on/.test(stdout)) {
        listened = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('exit', (code) => resolve({ code, stdout, stderr, listened }));
  });
}

function expectRefusalNamingCredentials(result: ServeResult): void {
  expect(result.listened).toBe(false);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain('API_TOKENS');
  expect(lines[0]).toContain('TRUSTED_PROXY_USER_HEADER');
}

describe('start-up refusals', () => {
  it('refuses a non-loopback HOST without credentials, naming API_TOKENS and TRUSTED_PROXY_USER_HEADER', async () => {
    for (const nodeEnvironment of ['development', 'test']) {
      const result = await serve({ HOST: '0.0.0.0', NODE_ENV: nodeEnvironment });
      expectRefusalNamingCredentials(result);
      expect(result.stderr).toContain('HOST=0.0.0.0');
      expect(result.stderr).toContain('DANGEROUSLY_ALLOW_DEV_IDENTITY_OFF_LOOPBACK');
    }
  }, 60_000);

  it('refuses production without any credential source, even on loopback', async () => {
    const result = await serve({ HOST: '127.0.0.1', NODE_ENV: 'production' });
    expectRefusalNamingCredentials(result);
    expect(result.stderr).toContain('NODE_ENV=production');
  }, 60_000);

  it('decides exposure from the bind address and the credentials (the override only outside production)', () => {
    const refused = (environment: Record<string, string>, bindHost: string) => {
      try {
        assertSafeExposure(loadConfig(environment), bindHost);
        return false;
      } catch (error) {
        return isShishinError(error, 'config_invalid');
      }
    };
    expect(refused({}, '127.0.0.1')).toBe(false);
    expect(refused({}, '::1')).toBe(false);
    expect(refused({}, '0.0.0.0')).toBe(true);
    expect(refused({}, '::')).toBe(true);
    expect(refused({}, '192.0.2.10')).toBe(true);
    expect(refused({ DANGEROUSLY_ALLOW_DEV_IDENTITY_OFF_LOOPBACK: 'true' }, '0.0.0.0')).toBe(false);
    expect(refused({ API_TOKENS: 't=web:alice' }, '0.0.0.0')).toBe(false);
    expect(refused({ TRUSTED_PROXY_USER_HEADER: 'X-Forwarded-User' }, '0.0.0.0')).toBe(false);
    expect(refused({ NODE_ENV: 'production' }, '127.0.0.1')).toBe(true);
    expect(refused({ NODE_ENV: 'production', DANGEROUSLY_ALLOW_DEV_IDENTITY_OFF_LOOPBACK: 'true' }, '0.0.0.0')).toBe(true);
    expect(refused({ NODE_ENV: 'production', API_TOKENS: 't=web:alice' }, '0.0.0.0')).toBe(false);
  });
});

describe('off loopback with credentials', () => {
  let app: TestApp | undefined;
  let web: RunningWebServer | undefined;
  afterEach(async () => {
    await web?.close(1000);
    await app?.close();
    web = undefined;
    app = undefined;
  });

  it('has no development identity, and the identity-switch cookie makes no one a member', async () => {
    // Development mode (NODE_ENV unset) bound to every interface, with tokens: only tokens sign in.
    app = await createTestApp({ NODE_ENV: 'development', API_TOKENS: 'alice-token=web:alice', GOVERNANCE_MEMBERS: 'web:reviewer' });
    web = await startWebServer(app, { port: 0, host: '0.0.0.0' });
    const url = `http://127.0.0.1:${new URL(web.url).port}`;
    const anonymous = await call(`${url}/api/me`);
    expect(anonymous.status).toBe(401);
    const switched = await call(`${url}/api/me`, { headers: { cookie: 'shishin_dev_identity=web%3Areviewer' } });
    expect(switched.status).toBe(401);
    const queue = await call(`${url}/api/queue`, { headers: { cookie: 'shishin_dev_identity=web%3Areviewer' } });
    expect(queue.status).toBe(401);
    expect((await call(`${url}/api/me`, { token: 'alice-token' })).body).toMatchObject({ user: 'web:alice', governanceMember: false });
  });

  it('with the override, a peer elsewhere stays the development identity whatever its cookie says', () => {
    const config = loadConfig({ DANGEROUSLY_ALLOW_DEV_IDENTITY_OFF_LOOPBACK: 'true', HOST: '0.0.0.0', GOVERNANCE_MEMBERS: 'web:reviewer' });
    const authenticator = createAuthenticator(config);
    const request = (remoteAddress: string) => {
      const headers: Record<string, string> = { host: '192.0.2.2:3978', cookie: 'shishin_dev_identity=web%3Areviewer' };
      return { headers, socket: { remoteAddress }, get: (name: string) => headers[name.toLowerCase()] } as unknown as Request;
    };
    expect(authenticator.developmentMode).toBe(true);
    expect(authenticator.identify(request('192.0.2.7')).actor).toEqual({ channel: 'web', id: 'dev' });
    expect(authenticator.canSwitchIdentity(request('192.0.2.7'))).toBe(false);
    // The developer at the machine itself may still switch.
    expect(authenticator.identify(request('127.0.0.1')).actor).toEqual({ channel: 'web', id: 'reviewer' });
  });
});

describe('the trusted proxy header', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('counts only from TRUSTED_PROXY_ADDRESSES (default loopback)', async () => {
    const environment = { NODE_ENV: 'production', API_TOKENS: 'alice-token=web:alice', TRUSTED_PROXY_USER_HEADER: 'X-Forwarded-User', GOVERNANCE_MEMBERS: 'web:carol' };
    const elsewhere = await startTestServer({ ...environment, TRUSTED_PROXY_ADDRESSES: '10.0.0.0/8, 192.0.2.1' });
    servers.push(elsewhere);
    const forged = await call(`${elsewhere.url}/api/me`, { headers: { 'x-forwarded-user': 'carol' } });
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ error: { code: 'not_authenticated', message: expect.stringMatching(/TRUSTED_PROXY_ADDRESSES/) } });
    expect((await call(`${elsewhere.url}/api/queue`, { headers: { 'x-forwarded-user': 'carol' } })).status).toBe(401);

    const local = await startTestServer(environment);
    servers.push(local);
    expect((await call(`${local.url}/api/me`, { headers: { 'x-forwarded-user': 'carol' } })).body).toMatchObject({ user: 'web:carol', authenticatedBy: 'proxy' });
  });

  it('rejects an unusable TRUSTED_PROXY_ADDRESSES entry at start-up, naming the variable', () => {
    for (const value of ['proxy.internal', '10.0.0.0/33', '10.0.0.1/8/1', '::1/129']) {
      expect(() => loadConfig({ TRUSTED_PROXY_ADDRESSES: value })).toThrow(/TRUSTED_PROXY_ADDRESSES/);
    }
    expect(loadConfig({ TRUSTED_PROXY_ADDRESSES: '10.0.0.0/8,fd00::/8, 192.0.2.1' }).auth.trustedProxyAddresses).toEqual(['10.0.0.0/8', 'fd00::/8', '192.0.2.1']);
  });
});
