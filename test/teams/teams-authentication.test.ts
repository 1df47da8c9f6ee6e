// Authentication of POST /api/messages. With an app id configured, botbuilder validates the Bot
// Framework JWT against OpenID metadata; here that metadata (and its signing key) is served by a
// local issuer, so forged, expired and mis-addressed tokens are refused with 401 while a token the
// local issuer signed for this app passes — proving the refusals are not accidental.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamsChannel } from '../../src/channels/teams/teams-channel.js';
import { isLoopbackHost, teamsAuthenticationMode } from '../../src/channels/teams/teams-authentication.js';
import { loadConfig } from '../../src/config.js';
import { isShishinError } from '../../src/errors.js';
import type { Feedback } from '../../src/ports/intake-store.js';
import { FakeBotConnector } from '../helpers/fake-bot-connector.js';
import { createTestContext, localBotFrameworkSettings, startBotServer, submitter, type BotServer, type TestContext } from './teams-test-context.js';

const appId = '00000000-aaaa-4bbb-8ccc-000000000001';
const issuer = 'https://api.botframework.test';
const keyId = 'local-signing-key';

interface LocalIssuer {
  url: string;
  privateKey: KeyObject;
  metadataRequests: number;
  close(): Promise<void>;
}

async function startLocalIssuer(): Promise<LocalIssuer> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const state = { metadataRequests: 0 };
  const server: Server = createServer((request, response) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    response.setHeader('content-type', 'application/json');
    if (request.url === '/.well-known/openid-configuration') {
      state.metadataRequests += 1;
      response.end(JSON.stringify({ issuer, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (request.url === '/keys') {
      response.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid: keyId, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] }));
    } else {
      response.statusCode = 404;
      response.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    privateKey,
    get metadataRequests() {
      return state.metadataRequests;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('Teams authentication with an app id', () => {
  let local: LocalIssuer;
  let connector: FakeBotConnector;
  let context: TestContext;
  let bot: BotServer;
  const feedback: Feedback[] = [];

  beforeAll(async () => {
    local = await startLocalIssuer();
    connector = await FakeBotConnector.start();
    context = await createTestContext({
      DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS: 'false',
      MicrosoftAppId: appId,
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppType: 'MultiTenant',
    });
    const save = context.app.store.saveFeedback.bind(context.app.store);
    context.app.store.saveFeedback = async (entry) => {
      feedback.push(entry);
      await save(entry);
    };
    bot = await startBotServer(context.app, {
      botFrameworkSettings: localBotFrameworkSettings(local.url, issuer),
    });
  });

  afterAll(async () => {
    await bot?.close();
    await context?.close();
    await connector?.close();
    await local?.close();
  });

  function feedbackInvoke(id: string) {
    return connector.activity(submitter, { id: 'a:personal-auth', conversationType: 'personal' }, {
      id,
      type: 'invoke',
      name: 'message/submitAction',
      replyToId: 'some-answer',
      value: { actionName: 'feedback', actionValue: { reaction: 'like', feedback: '{"feedbackText":"useful"}' } },
    });
  }

  function token(claims: Record<string, unknown>, options: jwt.SignOptions = {}, key: KeyObject = local.privateKey): string {
    return jwt.sign({ serviceurl: connector.serviceUrl, ...claims }, key, {
      algorithm: 'RS256',
      keyid: keyId,
      issuer,
      audience: appId,
      ...('exp' in claims ? {} : { expiresIn: '5m' }),
      ...options,
    });
  }

  it('refuses a request without a token', async () => {
    const response = await bot.post(feedbackInvoke('no-token'));
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: 'not_authenticated' });
  });

  it('refuses a token signed with someone else\'s key', async () => {
    const { privateKey: forger } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const response = await bot.post(feedbackInvoke('forged'), { authorization: `Bearer ${token({}, {}, forger)}` });
    expect(response.status).toBe(401);
  });

  it('refuses an expired token', async () => {
    const expired = token({ exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200 });
    const response = await bot.post(feedbackInvoke('expired'), { authorization: `Bearer ${expired}` });
    expect(response.status).toBe(401);
  });

  it('refuses a token issued for another bot', async () => {
    const response = await bot.post(feedbackInvoke('other-audience'), {
      authorization: `Bearer ${token({}, { audience: 'some-other-app' })}`,
    });
    expect(response.status).toBe(401);
  });

  it('refuses a token bound to another service URL', async () => {
    const response = await bot.post(feedbackInvoke('other-service'), {
      authorization: `Bearer ${token({ serviceurl: 'https://elsewhere.example/' })}`,
    });
    expect(response.status).toBe(401);
  });

  it('accepts a token the trusted issuer signed for this app', async () => {
    expect(feedback).toHaveLength(0);
    const response = await bot.post(feedbackInvoke('valid'), { authorization: `Bearer ${token({})}` });
    expect(response.status).toBe(200);
    expect(feedback).toEqual([expect.objectContaining({ rating: 'up', comment: 'useful' })]);
    expect(local.metadataRequests).toBeGreaterThan(0);
  });

  it('describes itself without printing the whole app id', () => {
    const line = bot.channel.describe();
    expect(line).toContain('Teams: POST /api/messages for app 0000…0001');
    expect(line).not.toContain(appId);
  });
});

describe('Teams configuration safety', () => {
  const base = { NODE_ENV: 'test' as const };

  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', 'LOCALHOST']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'bot.example.com', '']) expect(isLoopbackHost(host)).toBe(false);
  });

  it('authenticates whenever an app id is set', () => {
    const config = loadConfig({ ...base, MicrosoftAppId: appId, MicrosoftAppPassword: 'x', HOST: '0.0.0.0' });
    expect(teamsAuthenticationMode(config)).toBe('app');
  });

  it('allows the unauthenticated mode only with the flag on a loopback HOST', () => {
    expect(teamsAuthenticationMode(loadConfig({ ...base, DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS: 'true', HOST: '::1' }))).toBe('unauthenticated');
    const exposed = loadConfig({ ...base, DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS: 'true', HOST: '0.0.0.0' });
    expect(() => teamsAuthenticationMode(exposed)).toThrow(/only when HOST is loopback/);
    const noFlag = loadConfig({ ...base, HOST: '127.0.0.1' });
    expect(() => teamsAuthenticationMode(noFlag)).toThrow(/MicrosoftAppId/);
  });

  it('createTeamsChannel refuses an exposed unauthenticated setup with config_invalid', async () => {
    const context = await createTestContext({ HOST: '0.0.0.0' });
    try {
      const error = await createTeamsChannel(context.app).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(isShishinError(error, 'config_invalid')).toBe(true);
    } finally {
      await context.close();
    }
  });
});
