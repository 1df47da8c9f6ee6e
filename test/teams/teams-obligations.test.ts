// Obligation items and re-reviews through Teams, over the Bot Framework protocol to a fake connector,
// with a clock the test moves: "obligations" sends the submitter's items with update forms, "Save"
// completes one with evidence (and refuses what core refuses); six months on, the governance
// conversation gets a re-review card with the decision buttons and what changed, the submitter a
// personal reminder and a digest, once; the card's Approve decides the re-review in place.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { obligationInputId } from '../../src/channels/teams/obligation-cards.js';
import { createReviewScheduler } from '../../src/core/review/review-scheduler.js';
import { FakeBotConnector, type ConversationOptions, type RecordedActivity } from '../helpers/fake-bot-connector.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { ManualClock } from '../store/intake-fixtures.js';
import { cardValues, createTestContext, outsider, reviewer, startBotServer, submitter, type BotServer, type TestContext } from './teams-test-context.js';

const personal = { id: 'a:personal-submitter', conversationType: 'personal' as const };
const governanceChannel = '19:governance@thread.tacv2';
const governance = { id: `${governanceChannel};messageid=1700000000000`, conversationType: 'channel' as const };
const day = 24 * 60 * 60 * 1000;

type Card = { body: Array<Record<string, any>>; actions?: Array<Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- card JSON

function cardOf(record: RecordedActivity): Card {
  return (record.activity.attachments as Array<{ content: Card }>)[0]!.content;
}

/** Every element of a card, containers, action sets and shown cards included. */
function elements(card: Card): Array<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any -- card JSON
  const all: Array<Record<string, any>> = []; // eslint-disable-line @typescript-eslint/no-explicit-any -- card JSON
  const visit = (items: Array<Record<string, any>>) => { // eslint-disable-line @typescript-eslint/no-explicit-any -- card JSON
    for (const item of items) {
      all.push(item);
      if (Array.isArray(item.items)) visit(item.items);
      if (Array.isArray(item.actions)) for (const action of item.actions) if (action.card !== undefined) visit(action.card.body as Array<Record<string, unknown>>);
    }
  };
  visit(card.body);
  return all;
}

const cardText = (card: Card) => elements(card).flatMap((element) => (typeof element.text === 'string' ? [element.text] : [])).join('\n');

/** The "Save" actions of a card's item forms: their data. */
function saveActions(card: Card): Array<{ action: string; itemId: string; revision: number }> {
  return elements(card)
    .filter((element) => element.type === 'ActionSet')
    .flatMap((set) => set.actions as Array<{ card: { actions: Array<{ data: { action: string; itemId: string; revision: number } }> } }>)
    .map((action) => action.card.actions[0]!.data);
}

describe('Teams: obligation items and re-reviews', () => {
  let connector: FakeBotConnector;
  let context: TestContext;
  let bot: BotServer;
  const clock = new ManualClock('2026-11-25T09:00:00.000Z');
  let intakeId: string;

  beforeEach(async () => {
    connector = await FakeBotConnector.start();
    context = await createTestContext({ TEAMS_REVIEW_CONVERSATION: governanceChannel }, { clock });
    bot = await startBotServer(context.app);
    // The submitter registers a CV-screening use case from their personal chat; a member approves it with a condition.
    const post = async (user: typeof submitter, conversation: ConversationOptions, fields: Record<string, unknown>) => {
      expect((await bot.post(connector.activity(user, conversation, fields))).status).toBe(200);
    };
    await post(submitter, personal, { text: 'intake' });
    const form = await connector.nextMessage(personal.id);
    const submissionId = cardOf(form).actions?.[0]?.data?.submissionId as string;
    await post(submitter, personal, { replyToId: form.activityId, value: { action: 'intake.submit', submissionId, ...cardValues(cvScreeningIntake) } });
    const review = await connector.nextMessage(governanceChannel);
    intakeId = cardOf(review).actions?.[0]?.data?.intakeId as string;
    await post(reviewer, governance, { replyToId: review.activityId, value: { action: 'review.decide', intakeId, decision: 'approve_with_conditions', comment: 'Human review of every shortlist' } });
    await connector.nextUpdate(review.activityId);
    await connector.nextMessage(personal.id);
  });

  afterEach(async () => {
    await bot?.close();
    await context?.close();
    await connector.close();
  });

  async function say(user: typeof submitter, conversation: ConversationOptions, fields: Record<string, unknown>) {
    const response = await bot.post(connector.activity(user, conversation, fields));
    expect(response.status).toBe(200);
  }

  it('sends the items with update forms, saves one with evidence, and refuses what core refuses', async () => {
    await say(submitter, personal, { text: 'obligations' });
    const list = await connector.nextMessage(personal.id);
    const card = cardOf(list);
    expect(cardText(card)).toContain('Your obligations');
    expect(cardText(card)).toContain('Run a risk management system');
    expect(cardText(card)).toContain('Human review of every shortlist');
    expect(saveActions(card)).toEqual([
      { action: 'obligation.update', itemId: `${intakeId}-1`, revision: 1 },
      { action: 'obligation.update', itemId: `${intakeId}-2`, revision: 1 },
    ]);
    const inputs = elements(card).filter((element) => typeof element.id === 'string' && element.id.endsWith(`${intakeId}-1`)).map((element) => element.id);
    expect(inputs).toEqual(['status', 'note', 'link', 'reason', 'due', 'owner', 'comment'].map((field) => obligationInputId(field as 'status', `${intakeId}-1`)));
    const itemId = `${intakeId}-1`;
    const form = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([field, value]) => [obligationInputId(field as 'status', itemId), value]));

    // No evidence: not saved, and said so.
    await say(submitter, personal, { replyToId: list.activityId, value: { action: 'obligation.update', itemId, revision: 1, ...form({ status: 'done', note: '', link: '' }) } });
    expect((await connector.nextMessage(personal.id)).activity.text).toContain(`${itemId} was not changed: Add evidence to mark it done`);
    // An outsider cannot.
    await say(outsider, personal, { replyToId: list.activityId, value: { action: 'obligation.update', itemId, ...form({ status: 'done', note: 'mine' }) } });
    expect((await connector.nextMessage(personal.id)).activity.text).toContain('Only the submitter');

    await say(submitter, personal, {
      replyToId: list.activityId,
      value: { action: 'obligation.update', itemId, revision: 1, ...form({ status: 'done', note: 'DPIA signed off', link: 'https://docs.example/dpia', reason: '', due: '', owner: '', comment: '' }) },
    });
    const refreshed = await connector.nextUpdate(list.activityId);
    expect(cardText(cardOf(refreshed))).toContain(`Saved: ${itemId} is now done.`);
    expect(saveActions(cardOf(refreshed)).map((action) => action.itemId)).toEqual([`${intakeId}-2`]);
    const { item } = await context.app.obligations.get(itemId);
    expect(item).toMatchObject({ status: 'done', evidence: { note: 'DPIA signed off', link: 'https://docs.example/dpia' }, updatedBy: { channel: 'teams', id: submitter.aadObjectId } });
    expect((await context.app.store.listAudit({ intakeId })).at(-1)).toMatchObject({ action: 'obligation.updated', actor: { channel: 'teams', id: submitter.aadObjectId } });

    // Reassigned with the people picker: its value is the person's Entra object id.
    await say(submitter, personal, { replyToId: list.activityId, value: { action: 'obligation.update', itemId: `${intakeId}-2`, ...form({}), [obligationInputId('owner', `${intakeId}-2`)]: 'aad-reviewer' } });
    await connector.nextUpdate(list.activityId);
    expect((await context.app.obligations.get(`${intakeId}-2`)).item.owner).toEqual({ channel: 'teams', id: 'aad-reviewer' });
    await say(submitter, personal, { text: 'status' });
    expect((await connector.nextMessage(personal.id)).activity.text).toContain('1 open obligation item: type **obligations**');
  });

  it('six months on, posts a re-review card and reminds the submitter once; Approve on the card decides it in place', async () => {
    await context.app.obligations.update({ itemId: `${intakeId}-1`, actor: { channel: 'teams', id: submitter.aadObjectId }, status: 'not_applicable', reason: 'The vendor runs the risk management.' });
    const scheduler = createReviewScheduler({ store: context.app.store, clock, logger: context.app.logger, channels: [bot.channel.reminders] });
    clock.advance(183 * day);
    expect(await scheduler.runOnce()).toMatchObject({ markedDue: 1 });

    const rereview = await connector.nextMessage(governanceChannel);
    const card = cardOf(rereview);
    expect(cardText(card)).toContain(`Re-review due: ${intakeId}`);
    expect(cardText(card)).toContain('Until now: Approve with conditions by Rei Reviewer: Human review of every shortlist.');
    expect(cardText(card)).toContain('Since the last review');
    expect(cardText(card)).toContain('not applicable, reason: The vendor runs the risk management.');
    expect(card.actions?.map((action) => action.title)).toEqual(['Approve', 'Approve with conditions', 'Request changes', 'Reject']);

    const personalMessages = [await connector.nextMessage(personal.id), await connector.nextMessage(personal.id)];
    const reminder = personalMessages.find((message) => typeof message.activity.text === 'string') as RecordedActivity;
    expect(reminder.activity.text).toContain(`Your AI use case **${intakeId}**`);
    expect(reminder.activity.text).toContain('scheduled re-review');
    const digest = personalMessages.find((message) => message !== reminder) as RecordedActivity;
    expect(cardText(cardOf(digest))).toContain('Obligations due');
    expect(cardText(cardOf(digest))).toContain('Overdue');

    const before = connector.activities.length;
    expect(await scheduler.runOnce()).toMatchObject({ markedDue: 0, delivered: { sent: 0 } });
    expect(connector.activities).toHaveLength(before);

    await say(reviewer, governance, { replyToId: rereview.activityId, value: { action: 'review.decide', intakeId, decision: 'approve', comment: '' } });
    const decided = await connector.nextUpdate(rereview.activityId);
    expect(cardText(cardOf(decided))).toContain('Approved by Rei Reviewer');
    expect(cardOf(decided).actions).toBeUndefined();
    expect((await context.app.intakes.get(intakeId)).status).toBe('approved');
    expect(await context.app.store.verifyAudit()).toMatchObject({ ok: true, driftCount: 0 });
  });
});
