import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { silentLogger } from '../../logger.js';
import type { ScoredPassage } from '../../ports/passage.js';
import type { Retriever } from '../../ports/retriever.js';
import { createChatModel } from '../../providers/llm/create-chat-model.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../../test/helpers/fake-openai-server.js';
import { intake, permissiveCatalog } from '../../../test/intake/fixtures.js';
import { createClassifier, loadRules } from './classifier.js';
import type { IntakeInput } from './intake-schema.js';
import { detectLexicalSignals, loadTextSignals, parseTextSignals } from './text-signals.js';

const signalsFile = loadTextSignals(path.resolve('rules/text-signals.yaml'));
const rules = loadRules(path.resolve('rules/risk-rules.yaml'));
const lexical = (overrides: Partial<IntakeInput>) =>
  detectLexicalSignals(signalsFile, intake(overrides), () => []).map((signal) => [signal.id, signal.evidence]);

describe('lexical text signals', () => {
  it.each([
    ['Ranks job applicants by how well their CVs match the role.', 'employment'],
    ['We will shortlist candidates automatically before interviews.', 'employment'],
    ['The tool infers agents\u2019 emotions from their voice during calls.', 'emotion_recognition_work_or_education'],
    ['Grades student essays and proposes final marks to teachers.', 'education'],
    ['Estimates creditworthiness of small-business customers from bank data.', 'essential_services'],
    ['Forecasts load on the electricity grid to dispatch reserve capacity.', 'critical_infrastructure'],
    ['Checks visa applications for missing documents before a caseworker sees them.', 'migration_border'],
    ['Scrapes faces from public social media photos to grow our matching database.', 'untargeted_face_scraping'],
    ['Predicts which residents are likely to commit a crime from their profile.', 'crime_prediction_by_profiling'],
  ])('English: %s → %s', (description, expected) => {
    expect(lexical({ description }).map(([id]) => id)).toContain(expected);
  });

  it.each([
    ['社内ツールとして、応募者の履歴書を読み込み、面接に進む候補を順位付けします。', 'employment'],
    ['コールセンターのオペレーターの感情を音声から推定し、管理者に通知します。', 'emotion_recognition_work_or_education'],
    ['入試の答案を自動で採点し、合否判定の参考にします。', 'education'],
    ['個人顧客の与信審査を自動化し、融資の可否を判断します。', 'essential_services'],
  ])('Japanese: %s → %s', (description, expected) => {
    expect(lexical({ description }).map(([id]) => id)).toContain(expected);
  });

  it('stems English words: "ranking" and "applicants" match the pattern "rank applicant"', () => {
    expect(lexical({ description: 'Ranking of the applicants we received for the job opening, by fit.' })).toContainEqual([
      'employment',
      'Ranking of the applicants',
    ]);
  });

  it.each([
    'Summarises meeting notes into action items for the project team.',
    'Drafts marketing copy for product launches, reviewed by the brand team.',
    'Suggests code completions and reviews pull requests for the platform team.',
    'Answers customer questions about delivery times and return policies.',
    'Translates internal documentation between English and Japanese.',
    'Forecasts electricity costs for our office buildings to plan the facilities budget.',
    '会議の議事録を要約し、次のアクションを一覧にします。',
    '製品紹介のマーケティング文案を作成し、担当者が確認してから公開します。',
  ])('raises nothing for an ordinary description: %s', (description) => {
    expect(lexical({ description })).toEqual([]);
  });

  it('stays silent when the answers already declare the area or practice', () => {
    const description = 'Ranks job applicants and infers agents\u2019 emotions during calls.';
    expect(lexical({ description, domains: ['employment', 'biometrics'], practices: ['emotion_recognition_work_or_education'] })).toEqual([]);
    expect(lexical({ description, domains: ['employment'], practices: ['emotion_recognition_work_or_education'] }).map(([id]) => id)).toEqual(['biometrics']);
  });

  it('refuses a signal whose label misses a language, naming the signal', () => {
    expect(() =>
      parseTextSignals('format: 1\nsignals:\n  - { id: x, kind: annex_iii_area, label: { en: X }, declared_when: { always: true }, cites: [{ source: a.md, section: S }], patterns: [x] }\n'),
    ).toThrow(/signal "x" \(label\.ja\): the ja text is missing/);
  });

  it('rejects a malformed signals file', () => {
    expect(() => parseTextSignals('format: 1\nsignals:\n  - { id: x, kind: annex_iii_area, label: X, declared_when: { field: nope, equals: 1 }, cites: [], patterns: [] }\n')).toThrow(
      /Text signals file inline is invalid/,
    );
  });
});

describe('classifier with text signals', () => {
  it('flags a minimal intake whose description hints at employment, without raising the tier', async () => {
    const classifier = createClassifier({ rules, catalog: permissiveCatalog(), logger: silentLogger() });
    const result = await classifier.classify(intake({ description: 'Internal productivity helper that ranks job applicants for recruiters.' }));
    expect(result.tier).toBe('minimal');
    expect(result.flagged).toBe(true);
    expect(result.signals).toHaveLength(1);
    expect(result.signals[0]).toMatchObject({ id: 'employment', kind: 'annex_iii_area', detector: 'lexical', evidence: 'job applicants' });
    expect(result.signals[0]?.citations[0]?.section).toBe("Annex III area 4 — Employment and workers' management");
    expect(result.flagReasons).toEqual([
      `The description mentions "job applicants"; confirm whether Employment and workers' management (EU AI Act Annex III area 4) applies.`,
    ]);
  });

  it('adds a retrieval signal only for a strong match on a rule passage', async () => {
    const passage = permissiveCatalog().findSection('eu-ai-act-high-risk-classification.md', 'Annex III area 3 — Education and vocational training')[0];
    if (passage === undefined) throw new Error('fixture passage missing');
    let score = 0.95;
    const retriever: Retriever = { search: async (): Promise<ScoredPassage[]> => [{ passage, score }] };
    const classifier = createClassifier({ rules, catalog: permissiveCatalog(), retriever, logger: silentLogger() });
    const input = intake({ description: 'Helps tutors decide which learners move up to the advanced course next term.' });
    const strong = await classifier.classify(input);
    expect(strong.signals.map((signal) => [signal.id, signal.detector])).toEqual([['education', 'retrieval']]);
    score = 0.5;
    expect((await classifier.classify(input)).signals).toEqual([]);
  });
});

describe('chat-model text signals (fake OpenAI-compatible server)', () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startFakeOpenAIServer();
  });
  afterAll(async () => {
    await server.close();
  });

  const build = () => {
    const config = loadConfig({ OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: 'test-key', LLM_TIMEOUT_MS: '3000' });
    const chatModel = createChatModel(config, silentLogger());
    if (chatModel === undefined) throw new Error('chat model not configured');
    return createClassifier({ rules, catalog: permissiveCatalog(), chatModel, logger: silentLogger(), chatTimeoutMs: 3000 });
  };
  const description = 'Looks at how staff respond to the weekly pulse survey and suggests who to put forward for the leadership track.';

  it('adds the signals the model reports, with evidence from the text, and sends the signal list in the prompt', async () => {
    server.setChatHandler({ content: JSON.stringify({ signals: [{ id: 'employment', evidence: 'suggests who to put forward for the leadership track' }] }) });
    const result = await build().classify(intake({ description }));
    expect(result.tier).toBe('minimal');
    expect(result.signals.map((signal) => [signal.id, signal.detector])).toEqual([['employment', 'llm']]);
    expect(result.flagged).toBe(true);
    const sent = JSON.stringify(server.chatRequests().at(-1)?.body);
    expect(sent).toContain('employment:');
    expect(sent).toContain('pulse survey');
  });

  it('ignores garbage, unknown ids, invented evidence and errors; keeps the lexical signals', async () => {
    const withLexical = intake({ description: `${description} It also ranks job applicants.` });
    for (const reply of [
      { content: 'I think this is probably fine!' },
      { content: '{"signals": "employment"}' },
      { content: JSON.stringify({ signals: [{ id: 'astrology', evidence: 'pulse survey' }] }) },
      { content: JSON.stringify({ signals: [{ id: 'social_scoring', evidence: 'assigns every citizen a score' }] }) },
      { status: 500 },
    ]) {
      server.setChatHandler(reply);
      const result = await build().classify(withLexical);
      expect(result.signals.map((signal) => [signal.id, signal.detector])).toEqual([['employment', 'lexical']]);
      expect(result.tier).toBe('minimal');
    }
  });

  it('never removes or lowers: a model answering "no signals" leaves the high tier and lexical signals intact', async () => {
    server.setChatHandler({ content: '{"signals": []}' });
    const result = await build().classify(intake({ domains: ['education'], description: 'Grades student essays; also screens CVs of job applicants.' }));
    expect(result.tier).toBe('high');
    expect(result.signals.map((signal) => signal.id)).toEqual(['employment']);
  });

  it('gives up on a model that does not answer in time', async () => {
    server.setChatHandler({ hang: true });
    const config = loadConfig({ OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: 'test-key', LLM_TIMEOUT_MS: '300' });
    const chatModel = createChatModel(config, silentLogger());
    if (chatModel === undefined) throw new Error('chat model not configured');
    const classifier = createClassifier({ rules, catalog: permissiveCatalog(), chatModel, logger: silentLogger(), chatTimeoutMs: 300 });
    const started = Date.now();
    const result = await classifier.classify(intake({ description }));
    expect(result.signals).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
