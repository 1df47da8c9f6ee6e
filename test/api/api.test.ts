// The JSON API on the real application (real index, classifier, SQLite store) over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-app.js';
import { call } from './http-client.js';
import { cvScreeningIntake, meetingNotesIntake } from '../helpers/intake-examples.js';

let server: TestServer;
const alice = 'alice-token';
const bob = 'bob-token';
const reviewer = 'reviewer-token';

beforeAll(async () => {
  server = await startTestServer({
    API_TOKENS: `${alice}=web:alice,${bob}=web:bob,${reviewer}=web:reviewer`,
    GOVERNANCE_MEMBERS: 'web:reviewer',
  });
});
afterAll(async () => {
  await server?.close();
});

const api = (path: string) => `${server.url}${path}`;

describe('ask and feedback', () => {
  it('answers with the Answer JSON, an answer id and the mode', async () => {
    const reply = await call(api('/api/ask'), { token: alice, body: { question: 'Which AI practices are prohibited under the EU AI Act?' } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ grounded: true, mode: 'extractive' });
    expect(typeof reply.body.answerId).toBe('string');
    const citations = reply.body.citations as Array<Record<string, unknown>>;
    expect(citations.length).toBeGreaterThan(0);
    expect(citations[0]).toMatchObject({ n: 1 });
    expect(Object.keys(citations[0] ?? {})).toEqual(expect.arrayContaining(['title', 'source', 'section', 'quote', 'score']));
    expect(String(reply.body.answer)).toMatch(/\[1\]/);
    // Related sources: citation-shaped, after the citations, numbered after them.
    expect(Object.keys(reply.body).slice(0, 4)).toEqual(['answer', 'grounded', 'citations', 'related']);
    const related = reply.body.related as Array<Record<string, unknown>>;
    expect(Array.isArray(related)).toBe(true);
    related.forEach((item, index) => {
      expect(Object.keys(item).filter((key) => key !== 'url' && key !== 'documentUrl')).toEqual(['n', 'title', 'source', 'section', 'quote', 'score']);
      expect(item['n']).toBe(citations.length + index + 1);
    });

    const feedback = await call(api('/api/feedback'), { token: alice, body: { answerId: reply.body.answerId, rating: 'up', comment: 'clear' } });
    expect(feedback.status).toBe(201);
    const badRating = await call(api('/api/feedback'), { token: alice, body: { answerId: 'x', rating: 'meh' } });
    expect(badRating.status).toBe(400);
    expect(badRating.body).toEqual({ error: { code: 'input_invalid', message: expect.any(String), fields: [{ field: 'rating', message: 'rating must be "up" or "down".' }] } });
  });

  it('says when the corpus does not cover a question', async () => {
    const reply = await call(api('/api/ask'), { token: alice, body: { question: 'What is the best recipe for chocolate cake?' } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ grounded: false, citations: [], mode: 'not_covered' });
    expect(Array.isArray(reply.body.related)).toBe(true);
  });

  it('applies a metadata filter', async () => {
    const reply = await call(api('/api/ask'), { token: alice, body: { question: 'What are the obligations for high-risk AI systems?', filter: { jurisdiction: ['EU'] } } });
    expect(reply.status).toBe(200);
    for (const citation of reply.body.citations as Array<{ source: string }>) expect(citation.source).toMatch(/^eu-/);
  });

  it('rejects bad bodies with field errors, malformed JSON and oversized bodies', async () => {
    const empty = await call(api('/api/ask'), { token: alice, body: { question: '   ' } });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ error: { code: 'input_invalid', fields: [{ field: 'question' }] } });
    const long = await call(api('/api/ask'), { token: alice, body: { question: 'a'.repeat(2001) } });
    expect(long.status).toBe(400);
    const malformed = await call(api('/api/ask'), { token: alice, rawBody: '{"question": "unterminated' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ error: { code: 'input_invalid', message: 'The request body is not valid JSON.' } });
    const huge = await call(api('/api/intakes'), { token: alice, body: { ...cvScreeningIntake, description: 'x'.repeat(80_000) } });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ error: { code: 'payload_too_large', message: 'The request body is larger than the 64 kB limit.' } });
    // The JSON API takes JSON only: a POST without a JSON content type is refused before it is read.
    const noBody = await call(api('/api/ask'), { token: alice, method: 'POST' });
    expect(noBody.status).toBe(415);
    expect(noBody.body).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('says what is wrong with a value of the wrong type, and which methods a route takes', async () => {
    const number = await call(api('/api/ask'), { token: alice, body: { question: 42 } });
    expect(number.status).toBe(400);
    expect(number.body).toMatchObject({ error: { fields: [{ field: 'question', message: 'question must be text (a JSON string).' }] } });
    const notList = await call<{ error: { fields: Array<{ field: string; message: string }> } }>(api('/api/intakes'), { token: alice, body: { ...cvScreeningIntake, domains: 'employment' } });
    expect(notList.status).toBe(400);
    expect(notList.body.error.fields).toContainEqual({ field: 'domains', message: 'Give domains as a list, e.g. ["biometrics"].' });
    const get = await fetch(api('/api/ask'), { headers: { authorization: `Bearer ${alice}` } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await get.json()).toEqual({ error: { code: 'method_not_allowed', message: 'GET is not supported on /api/ask; use POST.' } });
    const remove = await fetch(api('/api/intakes'), { method: 'PUT', headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' }, body: '{}' });
    expect(remove.status).toBe(405);
    expect(remove.headers.get('allow')).toBe('GET, POST');
    expect((await fetch(api('/api/nothing-here'), { headers: { authorization: `Bearer ${alice}` } })).status).toBe(404);
  });
});

describe('intakes and review', () => {
  it('submits, replays by idempotency key, lists, decides and exports', async () => {
    const created = await call(api('/api/intakes'), { token: alice, body: cvScreeningIntake, headers: { 'idempotency-key': 'cv-1' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'pending_review', submittedBy: 'web:alice', classification: { tier: 'high', flagged: true } });
    const id = String(created.body.id);
    expect(created.headers.get('location')).toBe(`/api/intakes/${id}`);

    const replay = await call(api('/api/intakes'), { token: alice, body: cvScreeningIntake, headers: { 'idempotency-key': 'cv-1' } });
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(id);
    // The same key from another user is another intake.
    const bobs = await call(api('/api/intakes'), { token: bob, body: meetingNotesIntake, headers: { 'idempotency-key': 'cv-1' } });
    expect(bobs.status).toBe(201);
    expect(bobs.body.id).not.toBe(id);
    expect(bobs.body).toMatchObject({ status: 'auto_cleared', classification: { flagged: false } });

    const mine = await call<{ intakes: Array<{ id: string }> }>(api('/api/intakes'), { token: alice });
    expect(mine.body.intakes.map((intake) => intake.id)).toEqual([id]);
    const pending = await call<{ intakes: Array<{ id: string }> }>(api('/api/intakes?status=pending_review'), { token: bob });
    expect(pending.body.intakes).toEqual([]);
    expect((await call(api('/api/intakes?scope=all'), { token: alice })).status).toBe(403);
    const all = await call<{ intakes: Array<{ id: string }> }>(api('/api/intakes?scope=all'), { token: reviewer });
    expect(all.body.intakes.map((intake) => intake.id).sort()).toEqual([id, String(bobs.body.id)].sort());
    expect((await call(api('/api/intakes?status=nonsense'), { token: alice })).status).toBe(400);

    expect((await call(api('/api/queue'), { token: alice })).status).toBe(403);
    const queue = await call<{ intakes: Array<{ id: string }> }>(api('/api/queue'), { token: reviewer });
    expect(queue.body.intakes.map((intake) => intake.id)).toEqual([id]);

    expect((await call(api(`/api/intakes/${id}`), { token: bob })).status).toBe(403);
    const forbidden = await call(api(`/api/intakes/${id}/decision`), { token: alice, body: { decision: 'approve' } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ error: { code: 'not_authorised' } });
    const noComment = await call(api(`/api/intakes/${id}/decision`), { token: reviewer, body: { decision: 'reject' } });
    expect(noComment.status).toBe(400);
    expect(noComment.body).toMatchObject({ error: { fields: [{ field: 'comment' }] } });
    const badDecision = await call(api(`/api/intakes/${id}/decision`), { token: reviewer, body: { decision: 'maybe' } });
    expect(badDecision.status).toBe(400);
    expect(badDecision.body).toMatchObject({ error: { fields: [{ field: 'decision' }] } });

    const decided = await call(api(`/api/intakes/${id}/decision`), { token: reviewer, body: { decision: 'approve_with_conditions', comment: 'Human review of every shortlist.' } });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'approved_with_conditions', decidedBy: 'web:reviewer', decisionComment: 'Human review of every shortlist.' });
    const again = await call(api(`/api/intakes/${id}/decision`), { token: reviewer, body: { decision: 'reject', comment: 'too late' } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'conflict' } });

    const detail = await call<{ history: Array<{ action: string; actor: string }>; status: string }>(api(`/api/intakes/${id}`), { token: alice });
    expect(detail.status).toBe(200);
    expect(detail.body.history.map((entry) => entry.action)).toEqual(expect.arrayContaining(['intake.submitted', 'intake.decided']));
    expect(detail.body.history.some((entry) => entry.action === 'decision.refused' && entry.actor === 'web:alice')).toBe(true);

    const csv = await fetch(api('/api/register?format=csv'), { headers: { authorization: `Bearer ${alice}` } });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain('ai-register.csv');
    const csvText = await csv.text();
    expect(csvText.split('\r\n')[0]).toMatch(/^id,title,/);
    expect(csvText).toContain(`${id},CV screening assistant,Human Resources`);
    const json = await call<Array<{ id: string; status: string }>>(api('/api/register?format=json'), { token: alice });
    expect(json.body.find((row) => row.id === id)?.status).toBe('approved_with_conditions');
    expect((await call(api('/api/register?format=xml'), { token: alice })).status).toBe(400);
  });

  it('reports every invalid intake field at once', async () => {
    const reply = await call<{ error: { code: string; fields: Array<{ field: string }> } }>(api('/api/intakes'), {
      token: alice,
      body: { ...cvScreeningIntake, title: 'x', domains: [], profilesPeople: 'maybe' },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('input_invalid');
    expect(reply.body.error.fields.map((field) => field.field).sort()).toEqual(['domains', 'profilesPeople', 'title']);
    const notObject = await call(api('/api/intakes'), { token: alice, body: ['not', 'an', 'object'] });
    expect(notObject.status).toBe(400);
    const badKey = await call(api('/api/intakes'), { token: alice, body: cvScreeningIntake, headers: { 'idempotency-key': 'has space' } });
    expect(badKey.status).toBe(400);
  });

  it('answers 404 for unknown intakes and routes', async () => {
    const missing = await call(api('/api/intakes/AI-NOSUCH'), { token: reviewer });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'not_found' } });
    expect((await call(api('/api/intakes/AI-NOSUCH/decision'), { token: reviewer, body: { decision: 'approve' } })).status).toBe(404);
    expect((await call(api('/api/unknown'), { token: alice })).status).toBe(404);
  });

  it('tells who is calling', async () => {
    expect((await call(api('/api/me'), { token: reviewer })).body).toEqual({
      user: 'web:reviewer',
      channel: 'web',
      id: 'reviewer',
      governanceMember: true,
      authenticatedBy: 'token',
      mode: 'test',
    });
    // Outside production, no credentials means the development identity.
    expect((await call(api('/api/me'))).body).toMatchObject({ user: 'web:dev', authenticatedBy: 'development', governanceMember: false });
    expect((await call(api('/api/me'), { token: 'wrong' })).status).toBe(401);
  });
});

describe('operations endpoints', () => {
  it('reports health, readiness and metrics by route pattern', async () => {
    expect((await call(api('/healthz'))).body).toEqual({ status: 'ok' });
    const ready = await call(api('/readyz'));
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', checks: { index: { ok: true }, store: { ok: true } } });
    const metrics = await fetch(api('/metrics'));
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toMatch(/shishin_http_requests_total\{method="POST",route="\/api\/ask",status="200"\} \d+/);
    expect(text).toContain('route="/api/intakes/:id"');
    expect(text).not.toMatch(/route="\/api\/intakes\/AI-/);
    expect(text).toMatch(/shishin_http_request_duration_seconds_bucket\{le="0.1",method="POST",route="\/api\/ask"/);
    expect(text).toMatch(/shishin_answer_duration_seconds_count\{mode="extractive"/);
    expect(text).toContain('shishin_retrieval_duration_seconds_count');
    expect(text).toMatch(/shishin_intakes_total\{tier="high",status="pending_review"\} 1/);
  });

  it('reports not ready with the failing check when the store is gone', async () => {
    const other = await startTestServer();
    try {
      await other.app.store.close();
      const reply = await call(`${other.url}/readyz`);
      expect(reply.status).toBe(503);
      expect(reply.body).toMatchObject({ status: 'not_ready', failed: ['store'], checks: { store: { ok: false } } });
    } finally {
      await other.web.close(1000);
      await other.app.close().catch(() => undefined);
    }
  });
});
