// Corpus links in every door. Every document of a copied corpus points its `source_url` at something
// that must never become a link (javascript:, data:, vbscript:, a protocol-relative host). One real
// service serves the console, the JSON API, Slack (fake Web API) and Teams (fake connector); answers
// and intake classifications carry those URLs as citations, and no door renders one as a link.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../api/http-client.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { FakeBotConnector } from '../helpers/fake-bot-connector.js';
import { fakeBotUserId } from '../helpers/fake-slack-api.js';
import { reviewChannel, shownText, startSlackHarness, submitter, type SlackHarness } from '../slack/slack-harness.js';
import { createInjectedCorpus, type InjectedCorpus } from './injected-corpus.js';

const hostileUrls = [
  'javascript:alert(document.cookie)',
  'JaVaScRiPt:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'vbscript:msgbox(1)',
  '//evil.example/phish',
];
const hostilePattern = /javascript:|data:text|vbscript:|\/\/evil\.example/i;
const question = 'Which AI practices are prohibited under the EU AI Act?';
const governanceChannel = '19:links-governance@thread.tacv2';
const teamsUser = { id: '29:links-user', name: 'Lin Links', aadObjectId: 'aad-links-user' };

let corpus: InjectedCorpus;
let harness: SlackHarness;
let connector: FakeBotConnector;
let base: string;
let counter = 0;

beforeAll(async () => {
  corpus = await createInjectedCorpus();
  const files = (await readdir(corpus.dir)).filter((name) => name.endsWith('.md')).sort();
  for (const [index, name] of files.entries()) {
    const file = path.join(corpus.dir, name);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^source_url: .*$/m, `source_url: "${hostileUrls[index % hostileUrls.length]}"`));
  }
  connector = await FakeBotConnector.start();
  harness = await startSlackHarness({
    CORPUS_DIR: corpus.dir,
    DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS: 'true',
    TEAMS_REVIEW_CONVERSATION: governanceChannel,
    GOVERNANCE_MEMBERS: 'slack:UGOVERN01,web:reviewer',
    API_TOKENS: 'reviewer-token=web:reviewer',
    RATE_LIMIT_PER_MINUTE: '100000',
  });
  base = harness.service.web.url;
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await connector?.close();
  await corpus?.close();
});

/** Every href in a page: only http(s) URLs, same-site paths and fragments. */
function expectOnlySafeHrefs(page: string): void {
  const hrefs = [...page.matchAll(/href="([^"]*)"/g)].map((match) => match[1] ?? '');
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of hrefs) expect(href, href).toMatch(/^(https?:\/\/|\/(?![/\\])|#)/);
}

/** Slack mrkdwn links `<target|label>` and bare `<target>`: only http(s) targets (mentions aside). */
function expectOnlySafeSlackLinks(text: string): void {
  for (const match of text.matchAll(/<([^|>]*)(\|[^>]*)?>/g)) {
    const target = match[1] ?? '';
    if (/^[@#!]/.test(target)) continue;
    expect(target, target).toMatch(/^https?:\/\//);
  }
  expect(text).not.toMatch(/<(javascript|data|vbscript):/i);
}

describe('hostile corpus URLs', () => {
  it('never reach the API: a citation url is the http(s) original or the document viewer', async () => {
    const answer = await call<{ citations: Array<{ url?: string; documentUrl?: string; source: string }> }>(`${base}/api/ask`, { token: 'reviewer-token', body: { question } });
    expect(answer.status).toBe(200);
    expect(answer.body.citations.length).toBeGreaterThan(0);
    expect(JSON.stringify(answer.body)).not.toMatch(hostilePattern);
    for (const citation of answer.body.citations) {
      expect(citation.url).toMatch(/^\/console\/documents\/[^/]+#s-/);
      expect(citation.documentUrl).toBe(citation.url);
      // The viewer shows the document to a signed-in user.
      const viewer = await fetch(`${base}${citation.documentUrl}`, { headers: { authorization: 'Bearer reviewer-token' } });
      expect(viewer.status).toBe(200);
      const page = await viewer.text();
      expect(page).toContain(`id="${citation.documentUrl?.split('#')[1]}"`);
      expectOnlySafeHrefs(page);
    }
  });

  it('are never links in the console: answers, related sources and intake reasons', async () => {
    const askPage = await (await fetch(`${base}/console/ask?q=${encodeURIComponent(question)}`)).text();
    expect(askPage).toContain('id="source-1"');
    expectOnlySafeHrefs(askPage);

    // The development identity (web:dev) submits, so it may read its own intake in the console.
    const created = await call<{ id: string; classification: { reasons: Array<{ citations: Array<{ url?: string }> }> } }>(`${base}/api/intakes`, { body: cvScreeningIntake });
    expect(created.status).toBe(201);
    const ruleUrls = created.body.classification.reasons.flatMap((reason) => reason.citations.map((citation) => citation.url ?? ''));
    expect(ruleUrls.length).toBeGreaterThan(0);
    for (const url of ruleUrls) expect(url).toMatch(/^\/console\/documents\//);
    const detail = await (await fetch(`${base}/console/intakes/${created.body.id}`)).text();
    expect(detail).toContain('id="reasons-heading"');
    expectOnlySafeHrefs(detail);
  });

  it('are never links in Slack: answers and the review message', async () => {
    const ts = `1764300000.${String(++counter).padStart(6, '0')}`;
    await harness.event({ type: 'app_mention', user: submitter, channel: 'CLINKS001', text: `<@${fakeBotUserId}> ${question}`, ts, event_ts: ts });
    const answer = await harness.fake.waitForCall('chat.postMessage', (posted) => posted.args.thread_ts === ts, 20_000);
    const answerText = `${String(answer.args.text)}\n${shownText(answer.args.blocks)}`;
    expect(answerText).toMatch(/\[1\]/);
    expectOnlySafeSlackLinks(answerText);

    const created = await call<{ id: string }>(`${base}/api/intakes`, { token: 'reviewer-token', body: { ...cvScreeningIntake, title: 'Slack link check' } });
    expect(created.status).toBe(201);
    const review = await harness.fake.waitForCall('chat.postMessage', (posted) => posted.args.channel === reviewChannel && JSON.stringify(posted.args).includes(created.body.id), 20_000);
    const reviewText = shownText(review.args.blocks);
    expect(reviewText).toContain('Annex III');
    expectOnlySafeSlackLinks(reviewText);
  });

  it('are never links in Teams: native citations and the sources card', async () => {
    const ask = async (conversationId: string, channelId: string) => {
      const response = await fetch(`${base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...connector.activity(teamsUser, { id: conversationId, conversationType: 'personal' }, { text: question }), channelId }),
      });
      expect(response.status).toBeLessThan(300);
      return (await connector.nextMessage(conversationId, 20_000)).activity;
    };
    const native = await ask('a:links-msteams', 'msteams');
    const entity = (native.entities as Array<{ type: string; citation: Array<{ appearance: { url?: string } }> }>).find((item) => item.type === 'https://schema.org/Message');
    expect(entity?.citation.length).toBeGreaterThan(0);
    for (const claim of entity?.citation ?? []) {
      if (claim.appearance.url !== undefined) expect(claim.appearance.url).toMatch(/^https?:\/\//);
    }
    const emulator = await ask('a:links-emulator', 'emulator');
    const shown = JSON.stringify([emulator.text, emulator.attachments]);
    expect(shown).toContain('Sources');
    for (const match of shown.matchAll(/\]\(([^)]*)\)/g)) expect(match[1]).toMatch(/^https?:\/\//);
    expect(shown).not.toMatch(hostilePattern);
    expect(JSON.stringify(native)).not.toMatch(hostilePattern);
  });
});
