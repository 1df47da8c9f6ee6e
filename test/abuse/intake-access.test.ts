// Who sees which intakes, on the real service: REGISTER_VISIBILITY=members (default): governance
// members see every intake in the register (console, JSON, CSV); everyone else only their own.
// `all` shows everyone everything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { call } from '../api/http-client.js';
import { cvScreeningIntake, meetingNotesIntake } from '../helpers/intake-examples.js';
import { startTestServer, type TestServer } from '../helpers/test-app.js';

const environment = {
  NODE_ENV: 'production',
  API_TOKENS: 'alice-token=web:alice,bob-token=web:bob,reviewer-token=web:reviewer',
  GOVERNANCE_MEMBERS: 'web:reviewer',
  RATE_LIMIT_PER_MINUTE: '100000',
};

let members: TestServer;
let everyone: TestServer;
const ids: Record<string, string> = {};

beforeAll(async () => {
  members = await startTestServer(environment);
  everyone = await startTestServer({ ...environment, REGISTER_VISIBILITY: 'all' });
  for (const server of [members, everyone]) {
    for (const [token, intake] of [['alice-token', cvScreeningIntake], ['bob-token', { ...meetingNotesIntake, title: 'Bob notes helper' }]] as const) {
      const created = await call<{ id: string }>(`${server.url}/api/intakes`, { token, body: intake });
      expect(created.status).toBe(201);
      ids[`${server === members ? 'members' : 'all'}:${token}`] = created.body.id;
    }
  }
}, 120_000);

afterAll(async () => {
  await members?.close();
  await everyone?.close();
});

async function registerIds(server: TestServer, token: string): Promise<{ json: string[]; csv: string[]; page: string[] }> {
  const json = await call<Array<{ id: string }>>(`${server.url}/api/register?format=json`, { token });
  expect(json.status).toBe(200);
  const csv = await call(`${server.url}/api/register?format=csv`, { token });
  expect(csv.status).toBe(200);
  const page = await fetch(`${server.url}/console/register`, { headers: { authorization: `Bearer ${token}` } });
  expect(page.status).toBe(200);
  const html = await page.text();
  return {
    json: json.body.map((row) => row.id).sort(),
    csv: csv.text.trim().split('\r\n').slice(1).map((line) => line.split(',')[0] ?? '').sort(),
    page: [...html.matchAll(/<td><a href="\/console\/intakes\/([^"]+)">/g)].map((match) => match[1] ?? '').sort(),
  };
}

describe('register visibility', () => {
  it('shows members every intake and everyone else only their own (default: members)', async () => {
    const alice = ids['members:alice-token'] ?? '';
    const bob = ids['members:bob-token'] ?? '';
    expect(await registerIds(members, 'reviewer-token')).toEqual({ json: [alice, bob].sort(), csv: [alice, bob].sort(), page: [alice, bob].sort() });
    expect(await registerIds(members, 'alice-token')).toEqual({ json: [alice], csv: [alice], page: [alice] });
    expect(await registerIds(members, 'bob-token')).toEqual({ json: [bob], csv: [bob], page: [bob] });
    // The same rule as reading one intake.
    expect((await call(`${members.url}/api/intakes/${bob}`, { token: 'alice-token' })).status).toBe(403);
  });

  it('shows everyone everything with REGISTER_VISIBILITY=all', async () => {
    const both = [ids['all:alice-token'] ?? '', ids['all:bob-token'] ?? ''].sort();
    expect(await registerIds(everyone, 'alice-token')).toEqual({ json: both, csv: both, page: both });
  });

  it('rejects any other REGISTER_VISIBILITY value at start-up, naming the variable', () => {
    expect(loadConfig({}).registerVisibility).toBe('members');
    expect(() => loadConfig({ REGISTER_VISIBILITY: 'everyone' })).toThrow(/REGISTER_VISIBILITY/);
  });
});
