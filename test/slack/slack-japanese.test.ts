// Slack renderings in Japanese and English: every message, modal and view a Japanese reader gets is
// free of English UI text and untranslated keys, and stays within Block Kit's limits with Japanese
// text, long Japanese input included; the English renderings keep their English.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnswerDetails } from '../../src/core/answer/answer.js';
import { createClassifier, loadRules } from '../../src/core/intake/classifier.js';
import type { Classification } from '../../src/core/intake/classification.js';
import { intakeInputSchemaFor, toFieldErrors, type IntakeInput } from '../../src/core/intake/intake-schema.js';
import type { Locale } from '../../src/core/i18n/locale.js';
import type { IntakeRecord } from '../../src/core/review/review-types.js';
import { renderAnswer } from '../../src/channels/slack/answer-blocks.js';
import { buildHomeView } from '../../src/channels/slack/home-view.js';
import { buildDecisionModal, renderClassificationMessage, renderDecisionNotice, renderIntakeList, renderReviewMessage } from '../../src/channels/slack/intake-blocks.js';
import { buildIntakeModal, buildIntakeStatusModal, fieldErrorsToBlockErrors, readIntakeModal } from '../../src/channels/slack/intake-modal.js';
import { classificationSummaryLines } from '../../src/core/presentation/classification-presentation.js';
import { silentLogger } from '../../src/logger.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { slackPayloadProblems } from '../helpers/slack-payload-limits.js';
import { untranslatedText } from '../helpers/untranslated-text.js';
import { permissiveCatalog } from '../intake/fixtures.js';
import { modalValues } from './slack-harness.js';

const classifier = createClassifier({ rules: loadRules(path.resolve('rules/risk-rules.yaml')), catalog: permissiveCatalog(), logger: silentLogger() });

const japaneseInput: IntakeInput = {
  ...cvScreeningIntake,
  title: '書類選考アシスタント',
  description: '応募者の履歴書を採点して順位付けし、採用担当者が候補者を絞り込めるようにします。面接の録画から感情も推定します。',
  businessUnit: '人事部',
  regions: ['EU', 'JP'],
  personalData: 'sensitive',
  interactsWithPeople: true,
  generatesContent: true,
};

async function recordIn(locale: Locale, overrides: Partial<IntakeRecord> = {}, input: IntakeInput = japaneseInput): Promise<IntakeRecord> {
  const classification = classifier.localize(await classifier.classify(input), locale);
  return {
    id: 'AI-7K3F9Q',
    version: 2,
    previousId: 'AI-5H2J8W',
    input,
    classification,
    status: 'pending_review',
    submittedBy: { channel: 'web', id: 'hanako', displayName: '山田花子' },
    submittedAt: '2026-12-03T12:15:00.000Z',
    idempotencyKey: 'k',
    reviewMessages: [],
    updatedAt: '2026-12-03T12:15:00.000Z',
    ...overrides,
  };
}

/** What is content rather than UI in a record: what was typed, and the corpus passages cited. */
function contentOf(record: IntakeRecord, classification: Classification = record.classification): string[] {
  const citations = [...classification.reasons.flatMap((reason) => reason.citations), ...classification.obligations.flatMap((obligation) => obligation.citations)];
  return [
    record.input.title,
    record.input.description,
    record.input.businessUnit,
    record.submittedBy.displayName ?? '',
    record.decisionComment ?? '',
    ...citations.flatMap((citation) => [`${citation.title ?? citation.source} — ${citation.section}`, citation.quote]),
  ];
}

const japaneseReader = { locale: 'ja' as const, timeZone: 'Asia/Tokyo' };
const englishReader = { locale: 'en' as const, timeZone: 'UTC' };

function expectClean(payload: { blocks?: unknown; text?: unknown; type?: unknown }, content: string[], locale: Locale = 'ja') {
  expect(slackPayloadProblems(payload)).toEqual([]);
  expect(untranslatedText(payload, { locale, content })).toEqual([]);
}

describe('Slack in Japanese', () => {
  it('the intake modal: labels, help, choices, buttons and the intro', () => {
    const modal = buildIntakeModal({ locale: 'ja' }, {}, 'ja');
    expectClean(modal, []);
    const text = JSON.stringify(modal);
    for (const expected of ['AIユースケースの申請', '利用分野', '雇用・人事', '要配慮個人情報', 'はい', 'いいえ', '送信', 'キャンセル']) expect(text).toContain(expected);
    expect(JSON.parse(modal.private_metadata ?? '{}')).toEqual({ locale: 'ja' });
    // The values sent back are the same codes in every language.
    const english = buildIntakeModal({}, {}, 'en');
    const optionValues = (view: typeof modal) => JSON.stringify(view.blocks).match(/"value":"[^"]*"/gu);
    expect(optionValues(modal)).toEqual(optionValues(english));
    expect(JSON.stringify(english)).toContain('Submit an AI use case');
  });

  it('the intake modal prefilled with long Japanese text stays within the limits', () => {
    const long = { ...japaneseInput, description: '採用の判断を支援する。'.repeat(400).slice(0, 4000), title: '長'.repeat(120) };
    expect(slackPayloadProblems(buildIntakeModal({ previousId: 'AI-5H2J8W', locale: 'ja' }, long, 'ja'))).toEqual([]);
  });

  it('field errors in the modal', () => {
    const result = intakeInputSchemaFor('ja').safeParse(readIntakeModal(modalValues({ ...cvScreeningIntake, title: 'x', description: '短い説明', domains: [] })));
    expect(result.success).toBe(false);
    if (result.success) return;
    const errors = fieldErrorsToBlockErrors(toFieldErrors(result.error, 'ja'));
    expect(Object.keys(errors).sort()).toEqual(['description', 'domains', 'title']);
    expect(errors.title).toBe('タイトルは3文字以上で入力してください。');
    expect(untranslatedText({ text: Object.values(errors).join('\n') }, { locale: 'ja' })).toEqual([]);
  });

  it('the classification result sent to the submitter, and the modal that shows it', async () => {
    const record = await recordIn('ja', { status: 'changes_requested' });
    const message = renderClassificationMessage(record, 'https://console.example/console/intakes/AI-7K3F9Q', japaneseReader);
    expectClean(message, contentOf(record));
    const text = JSON.stringify(message);
    expect(text).toContain('高リスク：ガバナンスチームの審査に回しました');
    expect(text).toContain('判定の理由');
    expect(text).toContain('修正して再申請');
    expect(text).toContain('EU AI法');
    const modal = buildIntakeStatusModal('AI-7K3F9Q：ガバナンス審査待ち', classificationSummaryLines(record.classification, 8, 'ja'), 'ja');
    expectClean(modal, contentOf(record));
  });

  it('the review request in the review channel, pending and decided, and the decision modal', async () => {
    const pending = await recordIn('ja');
    const message = renderReviewMessage(pending, 'https://console.example/console/intakes/AI-7K3F9Q', japaneseReader);
    expectClean(message, contentOf(pending));
    const buttons = JSON.stringify(message.blocks.find((block) => block.type === 'actions'));
    for (const label of ['承認する', '条件付きで承認する', '修正を依頼する', '却下する']) expect(buttons).toContain(label);
    expect(JSON.stringify(message)).toContain('第2版（AI-5H2J8W の修正版）');

    const decided = { ...pending, status: 'approved_with_conditions' as const, decision: 'approve_with_conditions' as const, decidedBy: { channel: 'teams' as const, id: 'aad-1', displayName: '佐藤一郎' }, decidedAt: '2026-12-03T12:15:00.000Z', decisionComment: '人による確認を必ず行うこと' };
    const after = renderReviewMessage(decided, undefined, japaneseReader);
    expectClean(after, [...contentOf(decided), '佐藤一郎']);
    expect(JSON.stringify(after)).toContain('2026年12月3日 21:15 (JST)');
    expect(after.blocks.some((block) => block.type === 'actions')).toBe(false);

    const modal = buildDecisionModal(pending, { intakeId: pending.id, decision: 'request_changes', locale: 'ja' }, 'ja');
    expectClean(modal, contentOf(pending));
    expect(JSON.stringify(modal)).toContain('理由');
  });

  it('the decision notice to the submitter', async () => {
    const record = await recordIn('ja', { status: 'changes_requested', decision: 'request_changes', decidedBy: { channel: 'slack', id: 'UGOVERN01' }, decidedAt: '2026-12-03T12:15:00.000Z', decisionComment: '評価方法を説明してください' });
    const notice = renderDecisionNotice(record, 'https://console.example/console/intakes/AI-7K3F9Q', japaneseReader);
    expectClean(notice, contentOf(record));
    expect(JSON.stringify(notice)).toContain('審査結果が出ました');
  });

  it('App Home, status lists and the queue', async () => {
    const records = [await recordIn('ja'), await recordIn('ja', { id: 'AI-8M4N2P', status: 'auto_cleared' })];
    const home = buildHomeView(records, { isGovernanceMember: true, locale: 'ja' });
    expectClean(home, records.flatMap((record) => contentOf(record)));
    expectClean({ blocks: renderIntakeList('審査待ち（2 件）', records, '審査待ちのユースケースはありません。', 'ja') }, records.flatMap((record) => contentOf(record)));
    expect(JSON.stringify(buildHomeView([], { isGovernanceMember: false, locale: 'ja' }))).toContain('まだありません。');
  });

  it('an answer to a Japanese question, with the other-language note', () => {
    const answer: AnswerDetails = {
      answer: 'AI指針には罰則がありません [1]。',
      grounded: true,
      citations: [{ n: 1, title: 'Japan AI Guidelines', source: 'japan.md', section: 'Legal nature', quote: 'The Guidelines are soft law.', url: 'https://example.org/jp', score: 0.9 }],
      related: [{ n: 2, title: 'AI Promotion Act', source: 'act.md', section: 'Penalties', quote: 'No penalties.', score: 0.7 }],
      mode: 'extractive',
      note: '出典は英語の文書のため、該当箇所を英語のまま引用しています。',
      answerId: 'ans_1',
      locale: 'ja',
      timings: { retrievalMs: 1, totalMs: 2 },
    };
    const message = renderAnswer(answer, { question: '罰則はありますか？', shareable: true });
    expectClean(message, ['Japan AI Guidelines — Legal nature', 'The Guidelines are soft law.', 'AI Promotion Act — Penalties']);
    const text = JSON.stringify(message);
    for (const expected of ['出典', '関連する出典', '役に立った', 'ガバナンスチームに質問する', 'チャンネルで共有']) expect(text).toContain(expected);
    // The same answer read in English keeps the English labels.
    const english = renderAnswer({ ...answer, locale: 'en', note: undefined }, { question: 'Are there penalties?' });
    expect(JSON.stringify(english)).toContain('Helpful');
    expect(untranslatedText(english, { locale: 'en' })).toEqual([]);
  });

  it('in English, the same renderings stay English and carry no catalogue keys', async () => {
    const record = await recordIn('en', {}, cvScreeningIntake);
    const message = renderReviewMessage(record, undefined, englishReader);
    expect(untranslatedText(message, { locale: 'en', content: contentOf(record) })).toEqual([]);
    expect(JSON.stringify(message)).toMatch(/High risk/u);
    expect(JSON.stringify(renderClassificationMessage(record, undefined, englishReader))).toContain('What to do');
  });

  it('the scanner itself catches English UI text and raw keys in Japanese output', () => {
    expect(untranslatedText({ blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Why*\n• 理由' } }] }, { locale: 'ja' })).toHaveLength(1);
    expect(untranslatedText({ text: 'classification.whatToDo' }, { locale: 'ja' })).toHaveLength(2);
    expect(untranslatedText({ text: 'EU AI法 第5条 — <https://example.org|EU AI Act> `/shishin intake` AI-7K3F9Q :white_check_mark:' }, { locale: 'ja' })).toEqual([]);
  });
});
