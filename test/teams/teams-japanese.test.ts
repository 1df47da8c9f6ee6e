// Teams in Japanese over the Bot Framework protocol: activities with locale ja-JP get the help, the
// intake form, its errors, the result card, status and answers in Japanese; the governance
// conversation gets the review card in REVIEW_LOCALE; the decision notice reaches the submitter in
// the language of their last activity. Every card is checked against Teams' limits and scanned for
// English UI text and untranslated catalogue keys.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeBotConnector, type ConversationOptions, type RecordedActivity } from '../helpers/fake-bot-connector.js';
import { teamsMessageProblems } from '../helpers/adaptive-card-checks.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { untranslatedText } from '../helpers/untranslated-text.js';
import { cardValues, createTestContext, defaultAnswer, reviewer, startBotServer, submitter, type BotServer, type TestContext } from './teams-test-context.js';
import type { IntakeRecord } from '../../src/core/review/review-types.js';

const personal = { id: 'a:personal-submitter', conversationType: 'personal' as const };
const governanceChannel = '19:governance@thread.tacv2';
const governance = { id: `${governanceChannel};messageid=1700000000000`, conversationType: 'channel' as const };

const japaneseIntake = {
  ...cvScreeningIntake,
  title: '書類選考アシスタント',
  description: '応募者の履歴書を採点して順位付けし、採用担当者が候補者を絞り込めるようにします。',
  businessUnit: '人事部',
};

type Card = { actions?: Array<{ title: string; data?: Record<string, unknown> }>; body: unknown[] };

function cardOf(record: RecordedActivity): Card {
  return (record.activity.attachments as Array<{ content: Card }>)[0]!.content;
}

/** What people typed, who they are, and the corpus passages cited: content, not UI. */
function contentOf(records: IntakeRecord[]): string[] {
  const texts = [japaneseIntake.title, japaneseIntake.description, japaneseIntake.businessUnit, reviewer.name, submitter.name, 'Sam \\<b\\>Submitter\\</b\\>', '評価方法を説明してください。'];
  for (const record of records) {
    const { reasons, obligations } = record.classification;
    for (const citation of [...reasons.flatMap((reason) => reason.citations), ...obligations.flatMap((obligation) => obligation.citations)]) {
      texts.push(citation.title ?? citation.source, citation.section, citation.quote, citation.quote.slice(0, 159));
    }
  }
  return texts;
}

describe('Teams in Japanese', () => {
  let connector: FakeBotConnector;
  let context: TestContext;
  let bot: BotServer;

  beforeEach(async () => {
    connector = await FakeBotConnector.start();
    context = await createTestContext({ TEAMS_REVIEW_CONVERSATION: governanceChannel, REVIEW_LOCALE: 'ja' }, { realRules: true });
    bot = await startBotServer(context.app);
  });
  afterEach(async () => {
    await bot?.close();
    await context?.close();
    await connector.close();
  });

  async function post(user: typeof submitter, conversation: ConversationOptions, fields: Record<string, unknown>) {
    const activity = connector.activity(user, conversation, { locale: 'ja-JP', ...fields });
    expect((await bot.post(activity)).status).toBe(200);
    return activity;
  }

  async function expectJapanese(record: RecordedActivity) {
    expect(teamsMessageProblems(record.activity)).toEqual([]);
    const records = await context.app.intakes.list({});
    expect(untranslatedText(record.activity, { locale: 'ja', content: contentOf(records) })).toEqual([]);
  }

  it('help, the intake form and its field errors', async () => {
    await post(submitter, personal, { text: 'help' });
    const help = await connector.nextMessage(personal.id);
    expect(help.activity.text).toContain('AIガバナンスに関する質問');
    await expectJapanese(help);

    await post(submitter, personal, { text: 'intake' });
    const form = await connector.nextMessage(personal.id);
    await expectJapanese(form);
    const formText = JSON.stringify(cardOf(form));
    for (const expected of ['AIユースケースの申請', '利用分野', '雇用・人事', '申請する']) expect(formText).toContain(expected);
    const submissionId = cardOf(form).actions?.[0]?.data?.submissionId as string;

    await post(submitter, personal, { replyToId: form.activityId, value: { action: 'intake.submit', submissionId, ...cardValues(japaneseIntake), title: 'x', domains: '' } });
    const errors = await connector.nextUpdate(form.activityId);
    await expectJapanese(errors);
    const errorText = JSON.stringify(cardOf(errors));
    expect(errorText).toContain('下の印のある 2 項目を修正してください。');
    expect(errorText).toContain('タイトルは3文字以上で入力してください。');
    expect(errorText).toContain('利用分野を1つ以上選んでください。');
  });

  it('a Japanese submission, the review card in REVIEW_LOCALE, a decision and the notice to the submitter', async () => {
    await post(submitter, personal, { text: 'intake' });
    const form = await connector.nextMessage(personal.id);
    const submissionId = cardOf(form).actions?.[0]?.data?.submissionId as string;
    await post(submitter, personal, { replyToId: form.activityId, value: { action: 'intake.submit', submissionId, ...cardValues(japaneseIntake) } });

    const posted = await connector.nextMessage(governanceChannel);
    await expectJapanese(posted);
    const review = cardOf(posted);
    expect(review.actions?.map((action) => action.title)).toEqual(['承認する', '条件付きで承認する', '修正を依頼する', '却下する']);
    expect(JSON.stringify(review)).toContain('高リスク');
    const intakeId = review.actions?.[0]?.data?.intakeId as string;

    const result = await connector.nextUpdate(form.activityId);
    await expectJapanese(result);
    expect(JSON.stringify(cardOf(result))).toContain('高リスク：ガバナンスチームの審査に回しました');

    // A comment is required for changes: the card says so in the review conversation's language.
    await post(reviewer, governance, { replyToId: posted.activityId, value: { action: 'review.decide', intakeId, decision: 'request_changes', comment: ' ' } });
    const notice = await connector.nextUpdate(posted.activityId);
    await expectJapanese(notice);
    expect(JSON.stringify(cardOf(notice))).toContain('コメントは必須です。修正してほしい点を記入してください。');

    await post(reviewer, governance, { replyToId: posted.activityId, value: { action: 'review.decide', intakeId, decision: 'request_changes', comment: '評価方法を説明してください。' } });
    const decided = await connector.nextUpdate(posted.activityId);
    await expectJapanese(decided);
    expect(JSON.stringify(cardOf(decided))).toMatch(/修正依頼（判断：Rei Reviewer、\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} \(JST\)）/u);

    const told = await connector.nextMessage(personal.id);
    await expectJapanese(told);
    expect(told.activity.text).toContain('の審査結果：**修正依頼**');
    expect(JSON.stringify(told.activity.attachments)).toContain('修正して再申請');

    await post(submitter, personal, { text: 'status' });
    const status = await connector.nextMessage(personal.id);
    await expectJapanese(status);
    expect(status.activity.text).toContain('最近の申請');
  });

  it('answers a Japanese question with Japanese labels, and an English one in English', async () => {
    context.answer = async (request) => ({
      ...defaultAnswer,
      answer: '採用の選考に使うAIは高リスクです [1]。ログの記録が必要です [2]。',
      note: '出典は英語の文書のため、該当箇所を英語のまま引用しています。',
      related: [{ n: 3, title: 'AI Guidelines for Business', source: 'meti.md', section: 'Transparency', quote: 'q', url: 'https://example.org/meti', score: 0.6 }],
      locale: request.question.includes('？') ? 'ja' : 'en',
    });
    await post(submitter, personal, { text: '書類選考のAIは高リスクですか？', channelId: 'emulator' });
    const reply = await connector.nextMessage(personal.id);
    expect(teamsMessageProblems(reply.activity)).toEqual([]);
    const content = [...defaultAnswer.citations.flatMap((citation) => [`${citation.title} — ${citation.section}`, citation.quote.slice(0, 199)]), 'AI Guidelines for Business — Transparency'];
    expect(untranslatedText(reply.activity, { locale: 'ja', content })).toEqual([]);
    const text = JSON.stringify(reply.activity);
    for (const expected of ['出典', '関連する出典', 'ガバナンスチームに質問する']) expect(text).toContain(expected);

    context.answer = async () => ({ ...defaultAnswer, locale: 'en' });
    await post(submitter, personal, { text: 'Is CV screening high-risk?', channelId: 'emulator' });
    const english = await connector.nextMessage(personal.id);
    expect(JSON.stringify(english.activity)).toContain('Ask the governance team');
  });
});
