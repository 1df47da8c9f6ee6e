// The Teams door over the Bot Framework protocol: activities POSTed to /api/messages on loopback, the
// bot's replies, card updates and proactive posts recorded by a fake connector acting as serviceUrl.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeBotConnector, type ConversationOptions, type RecordedActivity } from '../helpers/fake-bot-connector.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import {
  cardValues,
  createTestContext,
  defaultAnswer,
  outsider,
  reviewer,
  startBotServer,
  submitter,
  type BotServer,
  type TestContext,
} from './teams-test-context.js';
import type { Feedback } from '../../src/ports/intake-store.js';
import { ShishinError } from '../../src/errors.js';

const personal = { id: 'a:personal-submitter', conversationType: 'personal' as const };
const reviewerChat = { id: 'a:personal-reviewer', conversationType: 'personal' as const };
const governanceChannel = '19:governance@thread.tacv2';
const governance = { id: `${governanceChannel};messageid=1700000000000`, conversationType: 'channel' as const };
const projectChannel = { id: '19:project@thread.tacv2;messageid=1700000000001', conversationType: 'channel' as const };

const cvScreening = cardValues({
  ...cvScreeningIntake,
  description: 'Ranks incoming CVs for recruiters and proposes a shortlist of candidates to interview.',
  businessUnit: 'People & Culture',
});

type Card = { version: string; body: Array<Record<string, any>>; actions?: Array<Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- card JSON

function cardOf(record: RecordedActivity): Card {
  const attachment = (record.activity.attachments as Array<{ contentType: string; content: Card }> | undefined)?.[0];
  expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return attachment!.content;
}

/** Every element of a card, containers flattened. */
function elements(card: Card): Array<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any -- card JSON
  const all: Array<Record<string, any>> = []; // eslint-disable-line @typescript-eslint/no-explicit-any -- card JSON
  const visit = (items: Array<Record<string, any>>) => { // eslint-disable-line @typescript-eslint/no-explicit-any -- card JSON
    for (const item of items) {
      all.push(item);
      if (Array.isArray(item.items)) visit(item.items);
    }
  };
  visit(card.body);
  return all;
}

function cardText(card: Card): string {
  return elements(card)
    .flatMap((element) => [element.text, ...(Array.isArray(element.facts) ? element.facts.map((fact: { value: string }) => fact.value) : [])])
    .filter((text) => typeof text === 'string')
    .join('\n');
}

describe('Teams door', () => {
  let connector: FakeBotConnector;
  let context: TestContext;
  let bot: BotServer;
  let feedback: Feedback[];

  async function start(environment: Record<string, string> = {}) {
    context = await createTestContext(environment);
    feedback = [];
    const save = context.app.store.saveFeedback.bind(context.app.store);
    context.app.store.saveFeedback = async (entry) => {
      feedback.push(entry);
      await save(entry);
    };
    bot = await startBotServer(context.app);
  }

  beforeEach(async () => {
    connector = await FakeBotConnector.start();
  });

  afterEach(async () => {
    await bot?.close();
    await context?.close();
    await connector.close();
  });

  async function say(user: typeof submitter, conversation: ConversationOptions, text: string, fields: Record<string, unknown> = {}) {
    const activity = connector.activity(user, conversation, { text, ...fields });
    const response = await bot.post(activity);
    expect(response.status).toBe(200);
    return activity;
  }

  async function submitCard(user: typeof submitter, conversation: ConversationOptions, replyToId: string, value: Record<string, unknown>) {
    const activity = connector.activity(user, conversation, { replyToId, value });
    const response = await bot.post(activity);
    expect(response.status).toBe(200);
    return activity;
  }

  async function openIntakeForm(conversation: ConversationOptions = personal, user = submitter) {
    await say(user, conversation, 'intake');
    const form = await connector.nextMessage(conversation.id);
    const card = cardOf(form);
    const submissionId = card.actions?.[0]?.data?.submissionId as string;
    return { form, card, submissionId };
  }

  describe('asking', () => {
    beforeEach(() => start());

    it('answers a personal-chat question with [n] markers, Teams citation entities and feedback enabled', async () => {
      const incoming = await say(submitter, personal, 'Is CV screening high-risk?');
      const typing = await connector.nextActivity((record) => record.activity.type === 'typing');
      expect(typing.conversationId).toBe(personal.id);
      const reply = await connector.nextMessage(personal.id);
      expect(reply.kind).toBe('reply');
      expect(reply.replyToId).toBe(incoming.id);
      const { activity } = reply;
      expect(activity.text).toContain('high-risk [1]');
      expect(activity.text).toContain('[2]');
      // Markdown and HTML from the answer are escaped; the markers are not.
      expect(activity.text).toContain('\\*logs\\*');
      expect(activity.text).toContain('&lt;script&gt;');
      expect(activity.text).not.toContain('<script>');
      expect(activity.channelData).toEqual({ feedbackLoopEnabled: true });
      const entity = activity.entities.find((item: { type: string }) => item.type === 'https://schema.org/Message');
      expect(entity['@type']).toBe('Message');
      expect(entity.additionalType).toEqual(['AIGeneratedContent']);
      expect(entity.citation).toHaveLength(2);
      const [first] = entity.citation;
      expect(first['@type']).toBe('Claim');
      expect(first.position).toBe(1);
      expect(first.appearance['@type']).toBe('DigitalDocument');
      expect(first.appearance.name).toBe('EU AI Act — Annex III');
      expect(first.appearance.url).toBe('https://example.org/eu-ai-act#annex-iii');
      expect(first.appearance.abstract.length).toBeLessThanOrEqual(160);
      // Teams renders the citations natively, so the card carries only the escalation action.
      const card = cardOf(reply);
      expect(cardText(card)).not.toContain('Sources');
      expect(cardText(card)).not.toContain('Related sources');
      expect(card.actions?.[0]).toMatchObject({ type: 'Action.Submit', title: 'Ask the governance team', data: { action: 'ask.escalate' } });
      expect(context.questions).toEqual(['Is CV screening high-risk?']);
    });

    it('strips the @mention in a channel and replies in the thread', async () => {
      const incoming = await say(submitter, projectChannel, '<at>Shishin</at> what must providers log?', {
        entities: [{ type: 'mention', text: '<at>Shishin</at>', mentioned: { id: connector.botId, name: 'Shishin' } }],
      });
      const reply = await connector.nextMessage(projectChannel.id);
      expect(reply.replyToId).toBe(incoming.id);
      expect(context.questions).toEqual(['what must providers log?']);
    });

    it('lists the sources in an Adaptive Card for clients without Teams citations', async () => {
      await say(submitter, personal, 'Is CV screening high-risk?', { channelId: 'emulator' });
      const reply = await connector.nextMessage(personal.id);
      const text = cardText(cardOf(reply));
      expect(text).toContain('Sources');
      expect(text).toContain('[1] [EU AI Act — Annex III](https://example.org/eu-ai-act#annex-iii)');
      // Every source links to its passage in the document viewer; one without an original links only there.
      expect(text).toMatch(/\[1\] \[EU AI Act — Annex III\]\(https:\/\/example\.org\/eu-ai-act#annex-iii\) · \[read in Shishin\]\(http:\/\/[^)]+\/console\/documents\/eu-ai-act\.md#s-annex-iii\)/);
      expect(text).toMatch(/\[2\] \[EU AI Act — Article 12\]\(http:\/\/[^)]+\/console\/documents\/eu-ai-act\.md#s-article-12\)/);
      expect(text).not.toContain('Related sources');
    });

    const related = [
      { n: 3, title: 'AI Guidelines for Business', source: 'meti.md', section: 'Transparency', quote: 'Not shown.', url: 'https://example.org/meti', score: 0.6 },
      { n: 4, title: 'Policy *bold* [x]', source: 'policy.md', section: 'Scope', quote: 'Not shown.', url: 'javascript:alert(1)', score: 0.5 },
      { n: 5, title: 'ISO/IEC 42001', source: 'iso.md', section: '', quote: 'Not shown.', score: 0.5 },
      { n: 6, title: 'Fourth related', source: 'x.md', section: 'S', quote: 'Not shown.', url: 'https://example.org/x', score: 0.4 },
    ];

    it('adds a compact "Related sources" section to the card, also where Teams shows the citations natively', async () => {
      context.answer = async () => ({ ...defaultAnswer, related });
      await say(submitter, personal, 'Is CV screening high-risk?');
      const reply = await connector.nextMessage(personal.id);
      // Related sources are not cited, so they are not citation entities.
      const entity = reply.activity.entities.find((item: { type: string }) => item.type === 'https://schema.org/Message');
      expect(entity.citation).toHaveLength(2);
      const card = cardOf(reply);
      const lines = elements(card).filter((element) => element.type === 'TextBlock');
      const start = lines.findIndex((element) => element.text === 'Related sources');
      expect(lines[start]).toMatchObject({ isSubtle: true, size: 'Small' });
      const shown = lines.slice(start + 1).map((element) => String(element.text));
      expect(shown).toHaveLength(3);
      expect(shown[0]).toBe('[AI Guidelines for Business — Transparency](https://example.org/meti)');
      expect(shown[1]).toMatch(/^\[Policy \\\*bold\\\* \\\[x\\\] — Scope\]\(http:\/\/[^)]+\/console\/documents\/policy\.md#s-scope\)$/);
      expect(shown[2]).toMatch(/^\[ISO\/IEC 42001\]\(http:\/\/[^)]+\/console\/documents\/iso\.md\)$/);
      for (const element of lines.slice(start)) expect(element).toMatchObject({ isSubtle: true, size: 'Small' });
      expect(cardText(card)).not.toContain('Not shown');
      expect(cardText(card)).not.toContain('javascript:');
      expect(cardText(card)).not.toContain('Fourth related');
      expect(card.actions?.[0]).toMatchObject({ title: 'Ask the governance team' });
    });

    it('lists related sources after the sources for clients without Teams citations', async () => {
      context.answer = async () => ({ ...defaultAnswer, related });
      await say(submitter, personal, 'Is CV screening high-risk?', { channelId: 'emulator' });
      const text = cardText(cardOf(await connector.nextMessage(personal.id)));
      expect(text.indexOf('[2] [EU AI Act — Article 12]')).toBeGreaterThan(-1);
      expect(text.indexOf('Related sources')).toBeGreaterThan(text.indexOf('[2] [EU AI Act — Article 12]'));
      expect(text).toContain('[AI Guidelines for Business — Transparency](https://example.org/meti)');
    });

    it('acknowledges at once and answers when the answer is ready', async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      context.answer = async () => {
        await gate;
        return defaultAnswer;
      };
      const incoming = await say(submitter, personal, 'A slow question');
      // The HTTP request has completed; only the typing indicator has been sent so far.
      await connector.nextActivity((record) => record.activity.type === 'typing');
      expect(connector.activities.filter((record) => record.activity.type === 'message')).toHaveLength(0);
      release();
      const reply = await connector.nextMessage(personal.id);
      expect(reply.replyToId).toBe(incoming.id);
      expect(reply.activity.text).toContain('[1]');
    });

    it('says so in one friendly line when answering fails', async () => {
      context.answer = async () => {
        throw new ShishinError('provider_failed', 'upstream exploded with secret details');
      };
      await say(submitter, personal, 'Anything?');
      const reply = await connector.nextMessage(personal.id);
      expect(reply.activity.text).toBe("Sorry, I couldn't answer that just now. Please try again in a moment.");
    });

    it('answers a redelivered activity (same id) only once', async () => {
      const first = await say(submitter, personal, 'Is CV screening high-risk?');
      await connector.nextMessage(personal.id);
      const again = await bot.post({ ...first });
      expect(again.status).toBe(200);
      await say(submitter, personal, 'A different question');
      await connector.nextMessage(personal.id);
      expect(context.questions).toEqual(['Is CV screening high-risk?', 'A different question']);
      const answers = connector.activities.filter((record) => record.activity.type === 'message');
      expect(answers).toHaveLength(2);
    });

    it('stores thumbs feedback against the answer it was given on', async () => {
      await say(submitter, personal, 'Is CV screening high-risk?');
      const reply = await connector.nextMessage(personal.id);
      const invoke = connector.activity(submitter, personal, {
        type: 'invoke',
        name: 'message/submitAction',
        replyToId: reply.activityId,
        value: { actionName: 'feedback', actionValue: { reaction: 'dislike', feedback: JSON.stringify({ feedbackText: 'Too short' }) } },
      });
      const response = await bot.post(invoke);
      expect(response.status).toBe(200);
      expect(feedback).toEqual([
        expect.objectContaining({ answerId: defaultAnswer.answerId, rating: 'down', comment: 'Too short', actor: expect.objectContaining({ channel: 'teams', id: submitter.aadObjectId }) }),
      ]);
      const repeated = await bot.post(invoke);
      expect(repeated.status).toBe(200);
      expect(feedback).toHaveLength(1);
    });

    it('rejects malformed feedback payloads with 400', async () => {
      const response = await bot.post(
        connector.activity(submitter, personal, { type: 'invoke', name: 'message/submitAction', value: { actionName: 'feedback', actionValue: { reaction: 'meh' } } }),
      );
      expect(response.status).toBe(400);
      expect(feedback).toHaveLength(0);
    });

    it('shows help and an empty status', async () => {
      await say(submitter, personal, 'help');
      expect((await connector.nextMessage(personal.id)).activity.text).toContain('**intake**');
      await say(submitter, personal, 'status');
      expect((await connector.nextMessage(personal.id)).activity.text).toContain('You have no intakes yet');
      expect(context.questions).toEqual([]);
    });

    it('refuses an activity that is not a Bot Framework activity', async () => {
      const response = await bot.post({ type: 'message', text: 'no service url' });
      expect(response.status).toBe(400);
    });
  });

  describe('intake and review', () => {
    beforeEach(() => start({ TEAMS_REVIEW_CONVERSATION: governanceChannel }));

    it('"intake" opens an Adaptive Card 1.5 form with every field', async () => {
      const { card, submissionId } = await openIntakeForm();
      expect(card.version).toBe('1.5');
      expect(submissionId).toMatch(/^[0-9a-f-]{36}$/);
      const inputs = new Map(elements(card).filter((element) => String(element.type).startsWith('Input.')).map((element) => [element.id, element]));
      expect([...inputs.keys()].sort()).toEqual(Object.keys(cvScreening).sort());
      expect(inputs.get('description')).toMatchObject({ type: 'Input.Text', isMultiline: true, label: 'Description' });
      for (const field of ['domains', 'affectedPersons', 'regions', 'practices']) {
        expect(inputs.get(field)).toMatchObject({ type: 'Input.ChoiceSet', isMultiSelect: true });
      }
      for (const field of ['profilesPeople', 'interactsWithPeople', 'generatesContent']) {
        expect(inputs.get(field)).toMatchObject({ type: 'Input.Toggle', valueOn: 'true', valueOff: 'false' });
      }
      expect(inputs.get('lifecycleStage')?.choices).toContainEqual({ title: 'In production', value: 'production' });
      expect(card.actions?.[0]).toMatchObject({ type: 'Action.Submit', data: { action: 'intake.submit' } });
    });

    it('refreshes the form in place with the values kept and the errors next to the fields', async () => {
      const { form, submissionId } = await openIntakeForm();
      await submitCard(submitter, personal, form.activityId, {
        action: 'intake.submit',
        submissionId,
        ...cvScreening,
        description: 'Too short',
        domains: '',
        profilesPeople: 'maybe',
      });
      const update = await connector.nextUpdate(form.activityId);
      expect(update.conversationId).toBe(personal.id);
      const card = cardOf(update);
      const all = elements(card);
      const byId = new Map(all.filter((element) => element.id !== undefined).map((element) => [element.id, element]));
      expect(byId.get('title')?.value).toBe(cvScreening.title);
      expect(byId.get('description')?.value).toBe('Too short');
      expect(byId.get('descriptionError')?.text).toContain('at least 20 characters');
      expect(byId.get('domainsError')?.text).toContain('Choose at least one');
      expect(byId.get('profilesPeopleError')?.text).toBeDefined();
      expect(byId.get('titleError')).toBeUndefined();
      expect(card.actions?.[0]?.data).toEqual({ action: 'intake.submit', submissionId });
      expect(await context.app.intakes.list()).toHaveLength(0);
    });

    it('a CV-screening intake reaches the governance channel; an outsider is refused; a member approves; the submitter hears', async () => {
      const { form, submissionId } = await openIntakeForm();
      await submitCard(submitter, personal, form.activityId, { action: 'intake.submit', submissionId, ...cvScreening });

      // The review card is posted proactively to the governance channel …
      const posted = await connector.nextMessage(governanceChannel);
      expect(posted.kind).toBe('send');
      const review = cardOf(posted);
      expect(cardText(review)).toContain('CV screening assistant');
      expect(review.actions?.map((action) => action.title)).toEqual(['Approve', 'Approve with conditions', 'Request changes', 'Reject']);
      expect(elements(review).some((element) => element.type === 'Input.Text' && element.id === 'comment')).toBe(true);
      const intakeId = review.actions?.[0]?.data?.intakeId as string;

      // … and the submitter's form became the result card.
      const result = await connector.nextUpdate(form.activityId);
      const resultText = cardText(cardOf(result));
      expect(resultText).toContain('High risk');
      expect(resultText).toContain('Employment use \\*screening\\* candidates');
      expect(resultText).toContain('Annex III');
      expect(resultText).toContain('Run a risk management system');

      const stored = await context.app.intakes.get(intakeId);
      expect(stored.reviewMessages).toEqual([
        { channel: 'teams', reference: expect.objectContaining({ activityId: posted.activityId }) },
      ]);

      // A non-member clicking Approve is refused and audited; the card stays as it is.
      await submitCard(outsider, governance, posted.activityId, { action: 'review.decide', intakeId, decision: 'approve', comment: '' });
      const refusal = await connector.nextMessage(governance.id);
      expect(refusal.activity.text).toContain('Only members of the governance team');
      expect((await context.app.intakes.get(intakeId)).status).toBe('pending_review');
      const audit = await context.app.store.listAudit({ intakeId });
      expect(audit.map((entry) => entry.action)).toContain('decision.refused');

      // A member approves: the card is updated in place and the submitter is told in their chat.
      await submitCard(reviewer, governance, posted.activityId, { action: 'review.decide', intakeId, decision: 'approve', comment: 'Go ahead' });
      const updated = await connector.nextUpdate(posted.activityId);
      expect(updated.conversationId).toBe(governanceChannel);
      const decided = cardOf(updated);
      expect(cardText(decided)).toContain('Approved by Rei Reviewer');
      expect(decided.actions).toBeUndefined();
      const notice = await connector.nextMessage(personal.id);
      expect(notice.kind).toBe('send');
      expect(notice.activity.text).toContain(intakeId);
      expect(notice.activity.text).toContain('Approved');
      expect((await context.app.intakes.get(intakeId)).status).toBe('approved');
      expect(connector.activities.filter((record) => record.kind === 'update' && record.activityId === posted.activityId)).toHaveLength(1);
    });

    it('a redelivered submit creates one intake and one review card', async () => {
      const { form, submissionId } = await openIntakeForm();
      const submit = await submitCard(submitter, personal, form.activityId, { action: 'intake.submit', submissionId, ...cvScreening });
      await connector.nextMessage(governanceChannel);
      await connector.nextUpdate(form.activityId);
      expect((await bot.post({ ...submit })).status).toBe(200);
      // A second click on the same card (new activity id, same submission id) is idempotent too.
      await submitCard(submitter, personal, form.activityId, { action: 'intake.submit', submissionId, ...cvScreening });
      await connector.nextUpdate(form.activityId);
      expect(await context.app.intakes.list()).toHaveLength(1);
      expect(connector.activities.filter((record) => record.conversationId === governanceChannel)).toHaveLength(1);
    });

    it('asks for a comment in place when a decision needs one', async () => {
      const { form, submissionId } = await openIntakeForm();
      await submitCard(submitter, personal, form.activityId, { action: 'intake.submit', submissionId, ...cvScreening });
      const posted = await connector.nextMessage(governanceChannel);
      const intakeId = cardOf(posted).actions?.[0]?.data?.intakeId as string;
      await submitCard(reviewer, governance, posted.activityId, { action: 'review.decide', intakeId, decision: 'request_changes', comment: '  ' });
      const refreshed = await connector.nextUpdate(posted.activityId);
      expect(cardText(cardOf(refreshed))).toContain('A comment is required: say what should change.');
      expect(cardOf(refreshed).actions).toHaveLength(4);
      expect((await context.app.intakes.get(intakeId)).status).toBe('pending_review');
    });

    it('a decision made through another door updates the Teams card and notifies a channel submitter in a new 1:1 chat', async () => {
      const { form, submissionId } = await openIntakeForm(projectChannel);
      await submitCard(submitter, projectChannel, form.activityId, { action: 'intake.submit', submissionId, ...cvScreening });
      const posted = await connector.nextMessage(governanceChannel);
      const intakeId = cardOf(posted).actions?.[0]?.data?.intakeId as string;
      await context.app.intakes.decide({ intakeId, actor: { channel: 'web', id: 'alice', displayName: 'Alice' }, decision: 'reject', comment: 'Not <i>now</i>' });
      const updated = await connector.nextUpdate(posted.activityId);
      expect(cardText(cardOf(updated))).toContain('Rejected by Alice');
      expect(cardText(cardOf(updated))).toContain('Not &lt;i&gt;now&lt;/i&gt;');
      const created = connector.conversations;
      expect(created).toHaveLength(1);
      expect(created[0]?.parameters).toMatchObject({ isGroup: false, members: [{ id: submitter.id }], tenantId: 'tenant-1' });
      const notice = await connector.nextMessage(created[0]!.conversationId);
      expect(notice.activity.text).toContain('Rejected');
    });

    it('posts intakes from other doors to Teams reviewers', async () => {
      // Any activity tells the bot which Teams service URL serves this tenant.
      await say(reviewer, reviewerChat, 'help');
      await connector.nextMessage(reviewerChat.id);
      const { record } = await context.app.intakes.submit({
        input: { ...cvScreening, domains: ['employment'], affectedPersons: ['job_applicants'], regions: ['EU'], practices: [], euRoles: [], profilesPeople: true, interactsWithPeople: false, generatesContent: false },
        submittedBy: { channel: 'web', id: 'bob' },
        idempotencyKey: 'web-1',
      });
      const posted = await connector.nextMessage(governanceChannel);
      expect(cardOf(posted).actions?.[0]?.data?.intakeId).toBe(record.id);
    });

    it('forwards a question to the governance team', async () => {
      await say(submitter, personal, 'Is CV screening high-risk?');
      const reply = await connector.nextMessage(personal.id);
      await submitCard(submitter, personal, reply.activityId, cardOf(reply).actions?.[0]?.data as Record<string, unknown>);
      const forwarded = await connector.nextMessage(governanceChannel);
      expect(cardText(cardOf(forwarded))).toContain('Is CV screening high-risk?');
      expect(cardText(cardOf(forwarded))).toContain('Sam &lt;b&gt;Submitter&lt;/b&gt;');
      const confirmation = await connector.nextMessage(personal.id);
      expect(confirmation.activity.text).toContain('passed your question');
    });

    it('tells the user when a card payload is not understood', async () => {
      await submitCard(submitter, personal, 'some-card', { action: 'intake.submit', submissionId: 'x' });
      const reply = await connector.nextMessage(personal.id);
      expect(reply.activity.text).toContain('out of date');
    });

    it('status lists the submitter\'s intakes and the reviewer\'s queue', async () => {
      const { form, submissionId } = await openIntakeForm();
      await submitCard(submitter, personal, form.activityId, { action: 'intake.submit', submissionId, ...cvScreening });
      await connector.nextMessage(governanceChannel);
      await say(submitter, personal, 'status');
      expect((await connector.nextMessage(personal.id)).activity.text).toContain('CV screening assistant: Waiting for governance review (High risk)');
      await say(reviewer, reviewerChat, 'status');
      expect((await connector.nextMessage(reviewerChat.id)).activity.text).toContain('1 intake waiting for governance review.');
    });
  });

  describe('restricted to one tenant', () => {
    beforeEach(() => start({ MicrosoftAppTenantId: 'tenant-1' }));

    it('serves its own tenant and ignores others', async () => {
      await say(submitter, { id: 'a:other-tenant', conversationType: 'personal', tenantId: 'tenant-2' }, 'Is CV screening high-risk?');
      await say(submitter, personal, 'And in my tenant?');
      const reply = await connector.nextMessage();
      expect(reply.conversationId).toBe(personal.id);
      expect(context.questions).toEqual(['And in my tenant?']);
    });
  });

  describe('mounted without a JSON body parser', () => {
    beforeEach(async () => {
      context = await createTestContext();
      bot = await startBotServer(context.app, { jsonParser: false });
    });

    it('reads the raw body itself', async () => {
      await say(submitter, personal, 'Is CV screening high-risk?');
      expect((await connector.nextMessage(personal.id)).activity.text).toContain('[1]');
    });

    it('answers 400 to a body that is not JSON', async () => {
      const response = await fetch(bot.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
      expect(response.status).toBe(400);
    });
  });

  describe('governance conversation captured at installation', () => {
    beforeEach(() => start());

    function installation(user: typeof reviewer) {
      return connector.activity(user, { id: governanceChannel, conversationType: 'channel' }, {
        type: 'conversationUpdate',
        text: undefined,
        membersAdded: [{ id: connector.botId }],
        channelData: { tenant: { id: 'tenant-1' }, team: { id: governanceChannel } },
      });
    }

    it('a governance member adding the bot to a team channel makes it the review conversation', async () => {
      expect((await bot.post(installation(reviewer))).status).toBe(200);
      const welcome = await connector.nextMessage(governanceChannel);
      expect(welcome.activity.text).toContain('will now receive AI use cases');
      const { form, submissionId } = await openIntakeForm();
      await submitCard(submitter, personal, form.activityId, { action: 'intake.submit', submissionId, ...cvScreening });
      const posted = await connector.nextMessage(governanceChannel);
      expect(cardOf(posted).actions).toHaveLength(4);
    });

    it('someone else adding the bot does not redirect reviews', async () => {
      expect((await bot.post(installation(outsider))).status).toBe(200);
      const welcome = await connector.nextMessage(governanceChannel);
      expect(welcome.activity.text).toContain('Type **help**');
      const { form, submissionId } = await openIntakeForm();
      await submitCard(submitter, personal, form.activityId, { action: 'intake.submit', submissionId, ...cvScreening });
      await connector.nextUpdate(form.activityId);
      expect(connector.activities.filter((record) => record.conversationId === governanceChannel)).toHaveLength(1);
    });
  });
});
