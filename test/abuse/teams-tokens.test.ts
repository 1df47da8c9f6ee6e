// Forged Bot Framework credentials against POST /api/messages with an app id configured: random
// Authorization headers, unsigned ("alg":"none") tokens, tokens signed with a stranger's key and
// tokens with random claims are all refused with 401 — never a 500, never a reply. The OpenID
// metadata points at a closed loopback port, so no check can be passed by reaching the real issuer.
// (Expired, mis-addressed and validly signed tokens against a local issuer are in test/teams.)
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotConnector } from '../helpers/fake-bot-connector.js';
import { createTestContext, localBotFrameworkSettings, startBotServer, submitter, type BotServer, type TestContext } from '../teams/teams-test-context.js';
import { closedPort } from '../fault/tcp-proxy.js';

const appId = '00000000-aaaa-4bbb-8ccc-00000000abcd';
const issuer = 'https://api.botframework.com';

let connector: FakeBotConnector;
let context: TestContext;
let bot: BotServer;

beforeAll(async () => {
  connector = await FakeBotConnector.start();
  context = await createTestContext({
    DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS: 'false',
    MicrosoftAppId: appId,
    MicrosoftAppPassword: 'not-a-real-secret',
    MicrosoftAppType: 'MultiTenant',
  });
  const nowhere = `http://127.0.0.1:${await closedPort()}`;
  bot = await startBotServer(context.app, {
    botFrameworkSettings: localBotFrameworkSettings(nowhere, issuer),
  });
});

afterAll(async () => {
  await bot?.close();
  await context?.close();
  await connector?.close();
});

const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('forged Teams credentials', () => {
  const { privateKey: stranger } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  it('refuses random and forged Authorization headers with 401 and never answers', async () => {
    const claims = fc.record(
      {
        iss: fc.oneof(fc.constant(issuer), fc.webUrl()),
        aud: fc.oneof(fc.constant(appId), fc.string({ maxLength: 40 })),
        serviceurl: fc.oneof(fc.constant(connector.serviceUrl), fc.webUrl()),
        appid: fc.string({ maxLength: 40 }),
        exp: fc.integer({ min: 0, max: 4_102_444_800 }),
        nbf: fc.integer({ min: 0, max: 4_102_444_800 }),
      },
      { requiredKeys: [] },
    );
    const header = fc.oneof(
      fc.string({ maxLength: 200 }).map((text) => `Bearer ${text}`),
      fc.string({ maxLength: 200 }),
      claims.map((payload) => `Bearer ${base64({ alg: 'none', typ: 'JWT' })}.${base64(payload)}.`),
      claims.map((payload) => `Bearer ${base64({ alg: 'HS256', typ: 'JWT', kid: 'x' })}.${base64(payload)}.${base64('sig')}`),
      claims.map((payload) => `Bearer ${jwt.sign(payload, stranger, { algorithm: 'RS256', keyid: 'stranger' })}`),
      fc.constantFrom('Bearer', 'Basic dXNlcjpwYXNz', `Bearer ${'a'.repeat(8000)}`, 'Bearer a.b.c', 'Bearer ..'),
    );
    await fc.assert(
      fc.asyncProperty(header, async (authorization) => {
        const activity = connector.activity(submitter, { id: 'a:forged', conversationType: 'personal' }, { text: 'Which AI practices are prohibited?' });
        const response = await bot.post(activity, { authorization });
        expect(response.status).toBe(401);
      }),
      { numRuns: 100 },
    );
    expect(context.questions).toEqual([]);
    expect(connector.summary()).toEqual([]);
  });
});
