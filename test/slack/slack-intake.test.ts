// Intake and review through Slack against the real service and a fake Slack Web API: the modal,
// inline field errors, a CV-screening submission reaching the review channel with decision buttons,
// double submissions, refusal of non-members (with the audit entry), decisions updating the review
// message in place and telling the submitter, notifications for intakes from other doors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionModalCallbackId, reviewActionIds } from '../../src/channels/slack/intake-blocks.js';
import { intakeModalCallbackId } from '../../src/channels/slack/intake-modal.js';
import { notMemberMessage } from '../../src/channels/slack/review-handlers.js';
import type { RecordedCall } from '../helpers/fake-slack-api.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { buttonClick, governanceMember, modalValues, outsider, reviewChannel, startSlackHarness, submitter, viewSubmission, type SlackHarness } from './slack-harness.js';


function reviewButtons(call: RecordedCall): Array<{ action_id: string; value: string }> {
  const blocks = call.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>;
  return blocks.find((block) => block.type === 'actions')?.elements ?? [];
}

describe('Slack intake and review', () => {
  let harness: SlackHarness;
  let reviewPost: RecordedCall;
  let intakeId: string;

  beforeAll(async () => {
    harness = await startSlackHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('/shishin intake opens the modal with every intake field', async () => {
    const response = await harness.command('intake');
    expect(response.status).toBe(200);
    const opened = await harness.fake.waitForCall('views.open');
    expect(opened.args.trigger_id).toMatch(/^trigger-/);
    const view = opened.args.view as { callback_id: string; blocks: Array<{ type: string; block_id?: string }> };
    expect(view.callback_id).toBe(intakeModalCallbackId);
    const ids = view.blocks.filter((block) => block.type === 'input').map((block) => block.block_id);
    expect(ids).toEqual(expect.arrayContaining(['title', 'description', 'businessUnit', 'domains', 'affectedPersons', 'regions', 'practices', 'profilesPeople', 'exception']));
    expect(ids).toHaveLength(17);
  });

  it('the global shortcut opens the same modal', async () => {
    await harness.interaction({ type: 'shortcut', callback_id: 'shishin_intake', trigger_id: 'trigger-shortcut', user: { id: submitter, username: 'u', team_id: 'TTEAM0001' } });
    const opened = await harness.fake.waitForCall('views.open', (call) => call.args.trigger_id === 'trigger-shortcut');
    expect((opened.args.view as { callback_id: string }).callback_id).toBe(intakeModalCallbackId);
  });

  it('returns invalid fields inline as response_action errors', async () => {
    const response = await harness.interaction(
      viewSubmission({ user: submitter, callbackId: intakeModalCallbackId, viewId: 'VINVALID1', values: modalValues({ ...cvScreeningIntake, title: 'x', description: 'too short', regions: [] }) }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors).sort()).toEqual(['description', 'regions', 'title']);
    expect(await harness.service.app.intakes.list({})).toHaveLength(0);
  });

  it('a CV-screening submission is classified, sent to the submitter and posted for review with decision buttons', async () => {
    const started = performance.now();
    const response = await harness.interaction(
      viewSubmission({ user: submitter, callbackId: intakeModalCallbackId, viewId: 'VCVSCREEN1', hash: 'h1', values: modalValues(cvScreeningIntake) }),
    );
    expect(performance.now() - started).toBeLessThan(1000);
    const ack = (await response.json()) as { response_action: string; view: { blocks: unknown[] } };
    expect(ack.response_action).toBe('update');
    expect(JSON.stringify(ack.view)).toContain('classifying');

    reviewPost = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === reviewChannel);
    const buttons = reviewButtons(reviewPost);
    expect(buttons.map((button) => button.action_id)).toEqual([reviewActionIds.approve, reviewActionIds.approve_with_conditions, reviewActionIds.request_changes, reviewActionIds.reject]);
    intakeId = buttons[0]?.value ?? '';
    expect(intakeId).toMatch(/^AI-/);
    expect(JSON.stringify(reviewPost.args.blocks)).toMatch(/High risk/);

    const dm = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === `D${submitter.slice(1)}`);
    const dmText = JSON.stringify(dm.args.blocks);
    expect(dmText).toContain(intakeId);
    expect(dmText).toMatch(/High risk/);
    expect(dmText).toMatch(/Annex III/);
    const updated = await harness.fake.waitForCall('views.update', (call) => call.args.view_id === 'VCVSCREEN1');
    expect(JSON.stringify(updated.args.view)).toContain(intakeId);

    const record = await harness.service.app.intakes.get(intakeId);
    expect(record.status).toBe('pending_review');
    expect(record.submittedBy).toMatchObject({ channel: 'slack', id: submitter });
    expect(record.reviewMessages).toEqual([{ channel: 'slack', reference: { channel: reviewChannel, ts: expect.any(String) } }]);
  });

  it('a double-submitted view creates no second intake', async () => {
    await harness.interaction(viewSubmission({ user: submitter, callbackId: intakeModalCallbackId, viewId: 'VCVSCREEN1', hash: 'h1', values: modalValues(cvScreeningIntake) }));
    // A different hash of the same view (a re-render) still maps to the same intake.
    await harness.interaction(viewSubmission({ user: submitter, callbackId: intakeModalCallbackId, viewId: 'VCVSCREEN1', hash: 'h2', values: modalValues(cvScreeningIntake) }));
    await harness.fake.waitForCall('views.update', (call) => call.args.view_id === 'VCVSCREEN1');
    expect(await harness.service.app.intakes.list({})).toHaveLength(1);
    expect(harness.fake.callsTo('chat.postMessage').filter((call) => call.args.channel === reviewChannel)).toHaveLength(1);
  });

  it('refuses a non-member’s decision click with an ephemeral message and audits it', async () => {
    await harness.interaction(buttonClick({ user: outsider, actionId: reviewActionIds.approve, value: intakeId }));
    const ephemeral = await harness.fake.waitForCall('chat.postEphemeral', (call) => call.args.user === outsider);
    expect(ephemeral.args.text).toBe(notMemberMessage);
    expect(ephemeral.args.channel).toBe(reviewChannel);
    const audit = await harness.service.app.store.listAudit({ intakeId });
    expect(audit.some((entry) => entry.action === 'decision.refused' && entry.actor.id === outsider)).toBe(true);
    expect((await harness.service.app.intakes.get(intakeId)).status).toBe('pending_review');
    expect(harness.fake.callsTo('views.open').some((call) => String(call.args.trigger_id).length > 0 && JSON.stringify(call.args.view).includes(decisionModalCallbackId))).toBe(false);
  });

  it('requires a reason in the decision modal for Request changes', async () => {
    const response = await harness.interaction(
      viewSubmission({
        user: governanceMember,
        callbackId: decisionModalCallbackId,
        viewId: 'VDECIDE0',
        privateMetadata: JSON.stringify({ intakeId, decision: 'request_changes', channel: reviewChannel }),
        values: { comment: { comment: { type: 'plain_text_input', value: '' } } },
      }),
    );
    const body = (await response.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.comment).toMatch(/comment is required/i);
  });

  it('a governance member’s Approve updates the review message in place and tells the submitter', async () => {
    await harness.interaction(buttonClick({ user: governanceMember, actionId: reviewActionIds.approve, value: intakeId }));
    const modal = await harness.fake.waitForCall('views.open', (call) => (call.args.view as { callback_id?: string }).callback_id === decisionModalCallbackId);
    const view = modal.args.view as { private_metadata: string };
    const response = await harness.interaction(
      viewSubmission({
        user: governanceMember,
        callbackId: decisionModalCallbackId,
        viewId: 'VDECIDE1',
        privateMetadata: view.private_metadata,
        values: { comment: { comment: { type: 'plain_text_input', value: 'Fine <!channel> with the DPIA attached.' } } },
      }),
    );
    expect(response.status).toBe(200);
    const update = await harness.fake.waitForCall('chat.update', (call) => call.args.channel === reviewChannel);
    const stored = (await harness.service.app.intakes.get(intakeId)).reviewMessages[0]?.reference;
    expect(update.args.ts).toBe(stored?.ts);
    const updatedText = JSON.stringify(update.args.blocks);
    expect(updatedText).toContain('Approved');
    expect(updatedText).toContain(`<@${governanceMember}>`);
    expect(updatedText).toContain('&lt;!channel&gt;');
    expect(reviewButtons(update)).toHaveLength(0);
    const notice = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === `D${submitter.slice(1)}` && String(call.args.text).includes('Approved'));
    expect(JSON.stringify(notice.args.blocks)).toContain(intakeId);
    const record = await harness.service.app.intakes.get(intakeId);
    expect(record.status).toBe('approved');
    expect(record.decidedBy).toMatchObject({ channel: 'slack', id: governanceMember });
  });

  it('says when an intake is already decided', async () => {
    await harness.interaction(buttonClick({ user: governanceMember, actionId: reviewActionIds.reject, value: intakeId }));
    const ephemeral = await harness.fake.waitForCall('chat.postEphemeral', (call) => call.args.user === governanceMember);
    expect(String(ephemeral.args.text)).toMatch(/already approved/);
  });

  it('/shishin status lists the submitter’s intakes and /shishin queue is for members only', async () => {
    await harness.command('status', submitter);
    const status = await harness.fake.waitForCall('response_url', (call) => JSON.stringify(call.args).includes(intakeId));
    expect(JSON.stringify(status.args.blocks)).toContain('Approved');
    await harness.command(`status ${intakeId}`, outsider);
    const hidden = await harness.fake.waitForCall('response_url', (call) => String(call.args.text).includes('I found no AI use case'));
    expect(hidden.args.response_type).toBe('ephemeral');
    await harness.command('queue', outsider);
    await harness.fake.waitForCall('response_url', (call) => String(call.args.text).includes('Only the governance team'));
    await harness.command('queue', governanceMember);
    await harness.fake.waitForCall('response_url', (call) => String(call.args.text).includes('waiting for review'));
    const help = await harness.command('help');
    expect(((await help.json()) as { text: string }).text).toContain('/shishin intake');
  });

  it('lets the submitter revise and resubmit after changes are requested', async () => {
    await harness.interaction(
      viewSubmission({ user: submitter, callbackId: intakeModalCallbackId, viewId: 'VRESUBMIT1', values: modalValues({ ...cvScreeningIntake, title: 'Video interview analysis' }) }),
    );
    const posted = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === reviewChannel && JSON.stringify(call.args.blocks).includes('Video interview analysis'));
    const firstId = reviewButtons(posted)[0]?.value ?? '';
    await harness.service.app.intakes.decide({ intakeId: firstId, actor: { channel: 'slack', id: governanceMember }, decision: 'request_changes', comment: 'Describe the human review step.' });
    const notice = await harness.fake.waitForCall('chat.postMessage', (call) => String(call.args.text).includes(firstId) && String(call.args.text).includes('Changes requested'));
    const resubmit = (notice.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>)
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === 'shishin_intake_resubmit');
    expect(resubmit?.value).toBe(firstId);

    await harness.interaction(buttonClick({ user: submitter, actionId: 'shishin_intake_resubmit', value: firstId, channel: `D${submitter.slice(1)}` }));
    const opened = await harness.fake.waitForCall('views.open', (call) => String((call.args.view as { private_metadata?: string }).private_metadata).includes(firstId));
    const view = opened.args.view as { private_metadata: string; blocks: Array<{ block_id?: string; element?: { initial_value?: string } }> };
    expect(view.blocks.find((block) => block.block_id === 'title')?.element?.initial_value).toBe('Video interview analysis');

    await harness.interaction(
      viewSubmission({
        user: submitter,
        callbackId: intakeModalCallbackId,
        viewId: 'VRESUBMIT2',
        privateMetadata: view.private_metadata,
        values: modalValues({ ...cvScreeningIntake, title: 'Video interview analysis', description: `${cvScreeningIntake.description} A recruiter reviews every ranking.` }),
      }),
    );
    const second = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === reviewChannel && JSON.stringify(call.args.blocks).includes(`replaces ${firstId}`));
    const secondId = reviewButtons(second)[0]?.value ?? '';
    const record = await harness.service.app.intakes.get(secondId);
    expect(record).toMatchObject({ previousId: firstId, version: 2 });
  });

  it('posts flagged intakes from other doors to the review channel too', async () => {
    const { record } = await harness.service.app.intakes.submit({
      input: { ...cvScreeningIntake, title: 'Interview scoring from the web' },
      submittedBy: { channel: 'web', id: 'alice' },
      idempotencyKey: 'web-intake-1',
    });
    const posted = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === reviewChannel && JSON.stringify(call.args.blocks).includes(record.id));
    expect(reviewButtons(posted)).toHaveLength(4);
    expect(JSON.stringify(posted.args.blocks)).toContain('alice');
  });
});

describe('Slack start-up', () => {
  it('names SLACK_BOT_TOKEN when Slack refuses the token', async () => {
    const { startFakeSlackApi } = await import('../helpers/fake-slack-api.js');
    const fake = await startFakeSlackApi();
    fake.respond('auth.test', () => ({ ok: false, error: 'invalid_auth' }));
    try {
      await expect(startSlackHarness({ SLACK_API_URL: fake.apiUrl })).rejects.toThrow(/SLACK_BOT_TOKEN/);
    } finally {
      await fake.close();
    }
  });

  it('runs in Socket Mode when SLACK_APP_TOKEN is set, with no HTTP route', async () => {
    const { createTestApp } = await import('../helpers/test-app.js');
    const { startFakeSlackApi } = await import('../helpers/fake-slack-api.js');
    const { createSlackChannel } = await import('../../src/channels/slack/slack-channel.js');
    const fake = await startFakeSlackApi();
    const app = await createTestApp({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-1-test', SLACK_API_URL: fake.apiUrl.slice(0, -1) });
    try {
      const slack = await createSlackChannel(app, { registerNotifier: false });
      expect(slack.mode).toBe('socket');
      expect(slack.router).toBeUndefined();
      expect(slack.describe()).toMatch(/Socket Mode/);
      expect((await fake.waitForCall('auth.test')).token).toBe('xoxb-test');
      await slack.stop();
    } finally {
      await app.close();
      await fake.close();
    }
  });
});
