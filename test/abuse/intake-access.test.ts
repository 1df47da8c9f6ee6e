// Who sees which intakes, and what an Idempotency-Key promises, on the real service:
// - REGISTER_VISIBILITY=members (default): governance members see every intake in the register
//   (console, JSON, CSV); everyone else only their own. `all` shows everyone everything.
// - A reused Idempotency-Key with a different body (or a different `replaces`) is refused with 422;
//   the same body returns the first intake, as before. The console form behaves the same way.
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

describe('Idempotency-Key reuse', () => {
  const submit = (body: unknown, key: string, query = '') =>
    call<{ id: string; error?: { code: string; message: string } }>(`${members.url}/api/intakes${query}`, { token: 'alice-token', body, headers: { 'idempotency-key': key } });

  it('returns the first intake for the same body and refuses a different body with 422', async () => {
    const first = await submit(cvScreeningIntake, 'reuse-1');
    expect(first.status).toBe(201);
    // Same content, keys in another order: a retry.
    const reordered = Object.fromEntries(Object.entries(cvScreeningIntake).reverse());
    const retry = await submit(reordered, 'reuse-1');
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);

    for (const changed of [{ ...cvScreeningIntake, title: 'Something else entirely' }, { ...cvScreeningIntake, regions: ['JP'] }, { title: 'not even valid' }]) {
      const reused = await submit(changed, 'reuse-1');
      expect(reused.status).toBe(422);
      expect(reused.body.error).toMatchObject({ code: 'idempotency_key_reused', message: expect.stringMatching(/Idempotency-Key was already used/) });
    }
    const replacing = await submit(cvScreeningIntake, 'reuse-1', `?replaces=${first.body.id}`);
    expect(replacing.status).toBe(422);
    // Nothing was created by the refused attempts.
    const mine = await call<{ intakes: unknown[] }>(`${members.url}/api/intakes`, { token: 'alice-token' });
    expect(mine.body.intakes.filter((intake) => (intake as { id: string }).id === first.body.id)).toHaveLength(1);
    expect((await members.app.intakes.get(first.body.id)).input.title).toBe(cvScreeningIntake.title);
  });

  it('shows the console form again with a fresh key when a sent form comes back with other answers', async () => {
    const server = await startTestServer({ RATE_LIMIT_PER_MINUTE: '100000' });
    try {
      const first = await fetch(`${server.url}/console/intakes/new`);
      const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const token = /name="_csrf" value="([^"]+)"/.exec(await first.text())?.[1] ?? '';
      const form = new URLSearchParams({
        _csrf: token,
        idempotencyKey: 'console-key-0001',
        title: 'Notes helper',
        description: 'Summarises internal meeting transcripts into action items for the team.',
        businessUnit: 'Operations',
        lifecycleStage: 'pilot',
        role: 'business_user',
        modelSource: 'vendor_product',
        personalData: 'none',
        decisionImpact: 'none',
        profilesPeople: 'no',
        interactsWithPeople: 'no',
        generatesContent: 'yes',
        regions: 'JP',
        domains: 'internal_productivity',
        affectedPersons: 'employees',
      });
      const post = () => fetch(`${server.url}/console/intakes`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: form, redirect: 'manual' });
      const created = await post();
      expect(created.status).toBe(303);
      const again = await post();
      expect(again.headers.get('location')).toBe(created.headers.get('location'));
      form.set('title', 'Notes helper, edited after sending');
      const edited = await post();
      expect(edited.status).toBe(422);
      const page = await edited.text();
      expect(page).toContain('already submitted with different answers');
      expect(page).toContain('value="Notes helper, edited after sending"');
      expect(page).not.toContain('value="console-key-0001"');
      expect(await server.app.intakes.list()).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
