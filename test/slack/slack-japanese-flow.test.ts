// A Japanese-locale Slack user from first click to a decided intake, against the real service and the
// fake Slack Web API (users.info answers with each user's locale): the modal, a validation error,
// the result, the review channel message (REVIEW_LOCALE), the reviewer's modal and comment error, the
// decision notice and the status list — every payload free of English UI text. Then the review
// channel in English while the submitter's decision notice stays Japanese.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionModalCallbackId, reviewActionIds } from '../../src/channels/slack/intake-blocks.js';
import { intakeModalCallbackId } from '../../src/channels/slack/intake-modal.js';
import type { RecordedCall } from '../helpers/fake-slack-api.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { slackPayloadProblems } from '../helpers/slack-payload-limits.js';
import { untranslatedText } from '../helpers/untranslated-text.js';
import { buttonClick, governanceMember, modalValues, reviewChannel, startSlackHarness, submitter, viewSubmission, type SlackHarness } from './slack-harness.js';

const japaneseIntake = {
  ...cvScreeningIntake,
  title: '書類選考アシスタント',
  description: '応募者の履歴書を採点して順位付けし、採用担当者が候補者を絞り込めるようにします。',
  businessUnit: '人事部',
};

/** Labels of the corpus passages the rules cite ("Title — Section", in the corpus's own words). */
let citationLabels: string[] = [];

/** What the user typed and the corpus passages cited: content, not UI. */
function content(call: RecordedCall): string[] {
  const found = new Set<string>([japaneseIntake.title, japaneseIntake.description, japaneseIntake.businessUnit, '評価方法と人による確認の手順を記載してください。', ...citationLabels]);
  for (const match of JSON.stringify(call.args).matchAll(/<https?:[^|>]*\|([^>]*)>/gu)) found.add(match[1] ?? '');
  return [...found];
}

function expectJapanese(call: RecordedCall, payload: unknown = call.args) {
  expect(untranslatedText(payload, { locale: 'ja', content: content(call) })).toEqual([]);
}

async function learnCitations(harness: SlackHarness): Promise<void> {
  const labels = new Set(citationLabels);
  for (const record of await harness.service.app.intakes.list({})) {
    const { reasons, obligations } = record.classification;
    for (const citation of [...reasons.flatMap((reason) => reason.citations), ...obligations.flatMap((obligation) => obligation.citations)]) {
      labels.add([citation.title ?? citation.source, citation.section].filter((part) => part !== '').join(' — '));
    }
  }
  citationLabels = [...labels];
}

describe('Slack in Japanese, end to end', () => {
  let harness: SlackHarness;
  let intakeId = '';

  beforeAll(async () => {
    harness = await startSlackHarness({ REVIEW_LOCALE: 'ja' });
    harness.fake.setUserLocale(submitter, 'ja-JP');
    harness.fake.setUserLocale(governanceMember, 'ja-JP');
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('opens the intake modal in the user’s Slack language, asking users.info with include_locale', async () => {
    await harness.command('intake', submitter);
    const opened = await harness.fake.waitForCall('views.open');
    const view = opened.args.view as { private_metadata: string; title: { text: string } };
    expect(view.title.text).toBe('AIユースケースの申請');
    expect(JSON.parse(view.private_metadata)).toEqual({ locale: 'ja' });
    expect(slackPayloadProblems(view as never)).toEqual([]);
    expectJapanese(opened, view);
    const lookup = harness.fake.callsTo('users.info').find((call) => call.args.user === submitter);
    expect(String(lookup?.args.include_locale)).toBe('true');
  });

  it('shows field errors in Japanese', async () => {
    const response = await harness.interaction(
      viewSubmission({ user: submitter, callbackId: intakeModalCallbackId, viewId: 'VJAINVALID', privateMetadata: '{"locale":"ja"}', values: modalValues({ ...japaneseIntake, title: 'x', regions: [] }) }),
    );
    const body = (await response.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors).toEqual({ title: 'タイトルは3文字以上で入力してください。', regions: '利用地域を1つ以上選んでください。' });
  });

  it('classifies, tells the submitter and posts the review request, all in Japanese', async () => {
    const response = await harness.interaction(
      viewSubmission({ user: submitter, callbackId: intakeModalCallbackId, viewId: 'VJAVALID01', privateMetadata: '{"locale":"ja"}', values: modalValues(japaneseIntake) }),
    );
    const ack = (await response.json()) as { view: unknown };
    expect(JSON.stringify(ack.view)).toContain('判定しています');
    expect(untranslatedText(ack.view, { locale: 'ja', content: [japaneseIntake.title] })).toEqual([]);

    const review = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === reviewChannel);
    const reviewText = JSON.stringify(review.args);
    intakeId = /AI-[0-9A-Z]{6}/u.exec(reviewText)?.[0] ?? '';
    expect(intakeId).not.toBe('');
    await learnCitations(harness);
    expect(slackPayloadProblems(review.args as never)).toEqual([]);
    expectJapanese(review);
    expect(reviewText).toContain('高リスク');
    expect(reviewText).toContain('修正を依頼する');

    const dm = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === `D${submitter.slice(1)}`);
    expect(slackPayloadProblems(dm.args as never)).toEqual([]);
    expectJapanese(dm);
    expect(JSON.stringify(dm.args)).toContain('対応事項');
    const modal = await harness.fake.waitForCall('views.update', (call) => call.args.view_id === 'VJAVALID01');
    expectJapanese(modal);
  });

  it('the reviewer gets the decision modal and its comment error in Japanese', async () => {
    await harness.interaction(buttonClick({ user: governanceMember, actionId: reviewActionIds.request_changes, value: intakeId }));
    const opened = await harness.fake.waitForCall('views.open', (call) => (call.args.view as { callback_id?: string }).callback_id === decisionModalCallbackId);
    const view = opened.args.view as { private_metadata: string };
    expectJapanese(opened, opened.args.view);
    const refused = await harness.interaction(
      viewSubmission({ user: governanceMember, callbackId: decisionModalCallbackId, viewId: 'VJADECIDE0', privateMetadata: view.private_metadata, values: { comment: { comment: { type: 'plain_text_input', value: '' } } } }),
    );
    expect(((await refused.json()) as { errors: Record<string, string> }).errors.comment).toBe('コメントは必須です。修正してほしい点を記入してください。');

    await harness.interaction(
      viewSubmission({
        user: governanceMember,
        callbackId: decisionModalCallbackId,
        viewId: 'VJADECIDE1',
        privateMetadata: view.private_metadata,
        values: { comment: { comment: { type: 'plain_text_input', value: '評価方法と人による確認の手順を記載してください。' } } },
      }),
    );
    const update = await harness.fake.waitForCall('chat.update', (call) => call.args.channel === reviewChannel);
    expectJapanese(update);
    expect(JSON.stringify(update.args)).toMatch(/修正依頼.*\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} \(JST\)/u);
    const notice = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === `D${submitter.slice(1)}` && String(call.args.text).includes('修正依頼'));
    expectJapanese(notice);
    expect(JSON.stringify(notice.args)).toContain('修正して再申請');
  });

  it('status and help answer in Japanese; users.info is asked once per user and then cached', async () => {
    await harness.command('status', submitter);
    const status = await harness.fake.waitForCall('response_url', (call) => JSON.stringify(call.args).includes(intakeId));
    expectJapanese(status);
    const help = await harness.command('help', submitter);
    const helpText = ((await help.json()) as { text: string }).text;
    expect(helpText).toContain('AIガバナンス・アシスタント');
    expect(untranslatedText({ text: helpText }, { locale: 'ja' })).toEqual([]);
    expect(harness.fake.callsTo('users.info').filter((call) => call.args.user === submitter)).toHaveLength(1);
  });
});

describe('Slack review channel in its own language', () => {
  let harness: SlackHarness;

  beforeAll(async () => {
    harness = await startSlackHarness({ REVIEW_LOCALE: 'en', DEFAULT_LOCALE: 'ja' });
    harness.fake.setUserLocale(submitter, 'ja-JP');
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('posts the review request in REVIEW_LOCALE and tells a Japanese submitter in Japanese', async () => {
    const { record } = await harness.service.app.intakes.submit({ input: japaneseIntake, submittedBy: { channel: 'slack', id: submitter }, idempotencyKey: 'ja-review-en' });
    const review = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === reviewChannel);
    await learnCitations(harness);
    expect(JSON.stringify(review.args)).toContain('High risk');
    expect(untranslatedText(review.args, { locale: 'en', content: content(review) })).toEqual([]);
    await harness.service.app.intakes.decide({ intakeId: record.id, actor: { channel: 'slack', id: governanceMember }, decision: 'approve' });
    const update = await harness.fake.waitForCall('chat.update', (call) => call.args.channel === reviewChannel);
    expect(JSON.stringify(update.args)).toContain('Approved');
    const notice = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === `D${submitter.slice(1)}`);
    expectJapanese(notice);
    expect(JSON.stringify(notice.args)).toContain('承認');
  });
});
