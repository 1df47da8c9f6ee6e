// Obligation items and re-reviews through Slack, against the real service and a fake Slack Web API,
// with a clock the test moves: App Home lists the submitter's items with Update buttons, the update
// modal completes one with evidence (errors inline), the message shortcut marks one not applicable,
// /shishin obligations lists them; six months on, the review channel and the owner are reminded once
// and the reminder's buttons decide the re-review.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionModalCallbackId, reviewActionIds } from '../../src/channels/slack/intake-blocks.js';
import { obligationModalCallbackId, obligationOpenActionId, obligationShortcutCallbackId } from '../../src/channels/slack/obligation-blocks.js';
import type { IntakeRecord } from '../../src/core/review/review-types.js';
import type { RecordedCall } from '../helpers/fake-slack-api.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { ManualClock } from '../store/intake-fixtures.js';
import { buttonClick, governanceMember, outsider, reviewChannel, shownText, startSlackHarness, submitter, viewSubmission, type SlackHarness } from './slack-harness.js';

const day = 24 * 60 * 60 * 1000;
const directChannel = `D${submitter.slice(1)}`;

type Block = { type: string; block_id?: string; text?: { text: string }; accessory?: { action_id: string; value: string }; elements?: Array<{ action_id: string; value: string }> };

function updateButtons(blocks: unknown): string[] {
  return ((blocks ?? []) as Block[]).flatMap((block) => (block.accessory?.action_id === obligationOpenActionId ? [block.accessory.value] : []));
}

describe('Slack: obligation items and re-reviews', () => {
  const clock = new ManualClock('2026-11-25T09:00:00.000Z');
  let harness: SlackHarness;
  let record: IntakeRecord;
  let modalCounter = 0;

  beforeAll(async () => {
    harness = await startSlackHarness({ SCHEDULER_INTERVAL_SECONDS: '0' }, { clock });
    const { app } = harness.service;
    // Built in-house: the organisation is provider and deployer, so the checklist is long (more than App Home shows).
    const submitted = await app.intakes.submit({ input: { ...cvScreeningIntake, role: 'developer', modelSource: 'in_house' }, submittedBy: { channel: 'slack', id: submitter }, idempotencyKey: 'slack-obligations' });
    record = await app.intakes.decide({ intakeId: submitted.record.id, actor: { channel: 'slack', id: governanceMember }, decision: 'approve_with_conditions', comment: 'Human review of every shortlist' });
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  async function openModal(user: string, itemId: string): Promise<RecordedCall> {
    await harness.interaction(buttonClick({ user, actionId: obligationOpenActionId, value: itemId, channel: directChannel }));
    return harness.fake.waitForCall('views.open', (call) => JSON.stringify(call.args.view).includes(itemId) || JSON.stringify(call.args.view).includes('shishin_obligation_notice'));
  }

  function submitModal(user: string, view: { private_metadata: string }, values: Record<string, unknown>) {
    modalCounter += 1;
    return harness.interaction(viewSubmission({ user, callbackId: obligationModalCallbackId, viewId: `VOBLIG${modalCounter}`, privateMetadata: view.private_metadata, values }));
  }

  it('lists the submitter’s open items in App Home, each with an Update button', async () => {
    await harness.event({ type: 'app_home_opened', user: submitter, tab: 'home', channel: 'DHOME' });
    const published = await harness.fake.waitForCall('views.publish', (call) => call.args.user_id === submitter);
    const view = published.args.view as { blocks: Block[] };
    expect(shownText(view)).toContain('Your obligations');
    const items = await harness.service.app.obligations.forIntake(record.id);
    expect(items.length).toBeGreaterThan(15);
    // The first 15 (Slack limits a view's blocks), then a pointer to the console.
    expect(updateButtons(view.blocks)).toEqual(items.slice(0, 15).map((item) => item.id));
    expect(shownText(view)).toContain(`…and ${items.length - 15} more in the console.`);
    expect(shownText(view)).toContain(`(${items.length} open)`);
  });

  it('completes an item with evidence from the update modal, with errors shown inline first', async () => {
    const itemId = `${record.id}-1`;
    const modal = await openModal(submitter, itemId);
    const view = modal.args.view as { callback_id: string; private_metadata: string; blocks: Block[] };
    expect(view.callback_id).toBe(obligationModalCallbackId);
    expect(JSON.parse(view.private_metadata)).toEqual({ itemId, revision: 1 });
    expect(view.blocks.filter((block) => block.type === 'input').map((block) => block.block_id)).toEqual(['status', 'note', 'link', 'reason', 'due', 'owner', 'comment']);

    const missing = await submitModal(submitter, view, { status: { status: { type: 'radio_buttons', selected_option: { value: 'done' } } }, note: { note: { value: '' } }, link: { link: { value: null } } });
    expect(await missing.json()).toEqual({ response_action: 'errors', errors: { note: 'Add evidence to mark it done: a note, a link, or both.' } });

    const saved = await submitModal(submitter, view, {
      status: { status: { type: 'radio_buttons', selected_option: { value: 'done' } } },
      note: { note: { value: 'Risk register entry R-17' } },
      link: { link: { value: 'https://docs.example/risk/R-17' } },
      due: { due: { selected_date: record.nextReviewAt?.slice(0, 10) } },
      owner: { owner: { selected_user: null } },
      comment: { comment: { value: null } },
    });
    const ack = (await saved.json()) as { response_action: string; view: unknown };
    expect(ack.response_action).toBe('update');
    expect(shownText(ack.view)).toContain(`${itemId} is now done.`);
    const { item } = await harness.service.app.obligations.get(itemId);
    expect(item).toMatchObject({ status: 'done', evidence: { note: 'Risk register entry R-17', link: 'https://docs.example/risk/R-17' }, dueAt: record.nextReviewAt, updatedBy: { channel: 'slack', id: submitter } });
    const entry = (await harness.service.app.store.listAudit({ intakeId: record.id })).at(-1);
    expect(entry).toMatchObject({ action: 'obligation.updated', actor: { channel: 'slack', id: submitter }, details: { itemId, changes: { status: { from: 'open', to: 'done' } } } });
    // App Home is refreshed without the item.
    const refreshed = await harness.fake.waitForCall('views.publish', (call) => call.args.user_id === submitter && !updateButtons((call.args.view as { blocks: Block[] }).blocks).includes(itemId));
    expect(updateButtons((refreshed.args.view as { blocks: Block[] }).blocks)).not.toContain(itemId);
  });

  it('tells someone who may not change an item so, without a form', async () => {
    const modal = await openModal(outsider, `${record.id}-2`);
    expect(shownText(modal.args.view)).toContain('You cannot change this item.');
    const stale = await submitModal(outsider, { private_metadata: JSON.stringify({ itemId: `${record.id}-2`, revision: 1 }) }, { status: { status: { selected_option: { value: 'done' } } }, note: { note: { value: 'x' } } });
    const body = (await stale.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.values(body.errors).join(' ')).toContain('Only the submitter');
  });

  it('marks an item not applicable from the message shortcut on a message about the intake', async () => {
    await harness.interaction({
      type: 'message_action',
      callback_id: obligationShortcutCallbackId,
      trigger_id: 'trigger-shortcut-obligations',
      message_ts: '1.5',
      response_url: harness.fake.responseUrl(),
      user: { id: submitter, name: 'submitter', username: 'submitter', team_id: 'TTEAM0001' },
      channel: { id: reviewChannel, name: 'review' },
      message: { type: 'message', ts: '1.5', text: `Review requested: ${record.id}: CV screening assistant` },
    });
    const modal = await harness.fake.waitForCall('views.open', (call) => call.args.trigger_id === 'trigger-shortcut-obligations');
    const view = modal.args.view as { private_metadata: string; blocks: Array<Block & { element?: { options?: Array<{ value: string }> } }> };
    const select = view.blocks.find((block) => block.block_id === 'item');
    expect(select?.element?.options?.map((option) => option.value)).toEqual((await harness.service.app.obligations.forIntake(record.id)).map((item) => item.id));
    expect(JSON.parse(view.private_metadata)).toEqual({});
    const noItem = await submitModal(submitter, view, { item: { item: { selected_option: null } } });
    expect(await noItem.json()).toEqual({ response_action: 'errors', errors: { item: 'Choose the item to update.' } });
    const saved = await submitModal(submitter, view, {
      item: { item: { selected_option: { value: `${record.id}-2` } } },
      status: { status: { selected_option: { value: 'not_applicable' } } },
      note: { note: { value: null } },
      reason: { reason: { value: 'The vendor runs human oversight (contract §4).' } },
    });
    expect(((await saved.json()) as { response_action: string }).response_action).toBe('update');
    expect((await harness.service.app.obligations.get(`${record.id}-2`)).item).toMatchObject({ status: 'not_applicable', reason: 'The vendor runs human oversight (contract §4).' });
  });

  it('/shishin obligations lists the open items privately', async () => {
    await harness.command('obligations');
    const reply = await harness.fake.waitForCall('response_url', (call) => String(call.args.text).includes('open obligation item'));
    expect(reply.args.response_type).toBe('ephemeral');
    const open = (await harness.service.app.obligations.forIntake(record.id)).filter((item) => item.status === 'open').map((item) => item.id);
    expect(updateButtons(reply.args.blocks)).toEqual(open.slice(0, 15));
    expect(updateButtons(reply.args.blocks)).not.toContain(`${record.id}-1`);
  });

  it('six months on, reminds the review channel and the owner once, and the reminder’s buttons decide the re-review', async () => {
    const { scheduler } = harness.service;
    expect(await scheduler.runOnce()).toMatchObject({ markedDue: 0 });
    clock.advance(183 * day);
    const run = await scheduler.runOnce();
    expect(run).toMatchObject({ markedDue: 1 });
    const reminder = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === reviewChannel && String(call.args.text).startsWith('Re-review due'));
    const text = shownText(reminder.args.blocks);
    expect(text).toContain(`Re-review due: ${record.id}`);
    expect(text).toContain('Since the last review');
    expect(text).toContain('not applicable, reason: The vendor runs human oversight (contract §4).');
    expect(text).toContain('Human review of every shortlist');
    const buttons = ((reminder.args.blocks as Block[]).find((block) => block.type === 'actions')?.elements ?? []).map((button) => button.action_id);
    expect(buttons).toEqual(Object.values(reviewActionIds));
    const ownerMessage = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === directChannel && String(call.args.text).includes('scheduled re-review'));
    expect(updateButtons(ownerMessage.args.blocks).length).toBeGreaterThan(0);
    const digest = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === directChannel && String(call.args.text).startsWith('Obligations due'));
    expect(shownText(digest.args.blocks)).toContain('Overdue');

    // Again, from this replica or after a restart: nothing more is sent.
    expect(await scheduler.runOnce()).toMatchObject({ markedDue: 0, delivered: { sent: 0 } });
    expect(harness.fake.callsTo('chat.postMessage').filter((call) => call.args.channel === reviewChannel && String(call.args.text).startsWith('Re-review due'))).toHaveLength(1);

    // The governance member re-approves from the reminder; every review message is updated in place.
    await harness.interaction(buttonClick({ user: governanceMember, actionId: reviewActionIds.approve, value: record.id }));
    const decisionModal = await harness.fake.waitForCall('views.open', (call) => (call.args.view as { callback_id?: string }).callback_id === decisionModalCallbackId);
    await harness.interaction(
      viewSubmission({
        user: governanceMember,
        callbackId: decisionModalCallbackId,
        viewId: 'VREREVIEW1',
        privateMetadata: (decisionModal.args.view as { private_metadata: string }).private_metadata,
        values: { comment: { comment: { type: 'plain_text_input', value: '' } } },
      }),
    );
    const references = (await harness.service.app.intakes.get(record.id)).reviewMessages.filter((message) => message.channel === 'slack');
    expect(references).toHaveLength(2);
    const reminderTs = references[1]?.reference.ts;
    const updated = await harness.fake.waitForCall('chat.update', (call) => call.args.ts === reminderTs);
    expect(JSON.stringify(updated.args.blocks)).toContain('Approved');
    const decided = await harness.service.app.intakes.get(record.id);
    expect(decided).toMatchObject({ status: 'approved', decision: 'approve' });
    expect(Date.parse(decided.nextReviewAt as string)).toBeGreaterThan(Date.parse(record.nextReviewAt as string));
    expect(await harness.service.app.store.verifyAudit()).toMatchObject({ ok: true, driftCount: 0 });
    const metrics = await harness.service.app.metrics.registry.metrics();
    expect(metrics).toMatch(/shishin_reminders_total\{kind="review_due",target="review:slack",outcome="sent"\} 1/);
  });
});
