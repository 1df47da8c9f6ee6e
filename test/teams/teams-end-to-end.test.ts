// The Teams door on the real application (starter corpus and index, risk rules, answer and intake
// services, SQLite): a cited answer, the intake card, a CV-screening intake reaching the governance
// channel with decision buttons, a refused outsider, a member's approval updating the card in place
// and the submitter being told.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotConnector, type RecordedActivity } from '../helpers/fake-bot-connector.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { cardValues, outsider, reviewer, startBotServer, submitter, type BotServer } from './teams-test-context.js';

const personal = { id: 'a:e2e-submitter', conversationType: 'personal' as const };
const governanceChannel = '19:e2e-governance@thread.tacv2';
const governance = { id: `${governanceChannel};messageid=1`, conversationType: 'channel' as const };

type Card = { body: Array<Record<string, any>>; actions?: Array<Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- card JSON

function cardOf(record: RecordedActivity): Card {
  return (record.activity.attachments as Array<{ content: Card }>)[0]!.content;
}

function cardText(card: Card): string {
  const texts: string[] = [];
  const visit = (items: Array<Record<string, any>>) => { // eslint-disable-line @typescript-eslint/no-explicit-any -- card JSON
    for (const item of items) {
      if (typeof item.text === 'string') texts.push(item.text);
      if (Array.isArray(item.facts)) for (const fact of item.facts) texts.push(String(fact.value));
      if (Array.isArray(item.items)) visit(item.items);
    }
  };
  visit(card.body);
  return texts.join('\n');
}

describe('Teams door on the real application', () => {
  let app: TestApp;
  let connector: FakeBotConnector;
  let bot: BotServer;

  beforeAll(async () => {
    connector = await FakeBotConnector.start();
    app = await createTestApp({
      HOST: '127.0.0.1',
      DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS: 'true',
      GOVERNANCE_MEMBERS: `teams:${reviewer.aadObjectId}`,
      TEAMS_REVIEW_CONVERSATION: governanceChannel,
    });
    bot = await startBotServer(app);
  }, 120_000);

  afterAll(async () => {
    await bot?.close();
    await app?.close();
    await connector?.close();
  });

  it('answers from the corpus with Teams citations', async () => {
    const response = await bot.post(connector.activity(submitter, personal, { text: 'Which AI practices are prohibited under the EU AI Act?' }));
    expect(response.status).toBe(200);
    const reply = await connector.nextMessage(personal.id);
    expect(reply.activity.text).toMatch(/\[\d+\]/);
    const entity = reply.activity.entities.find((item: { type: string }) => item.type === 'https://schema.org/Message');
    expect(entity.citation.length).toBeGreaterThan(0);
    for (const claim of entity.citation) {
      expect(reply.activity.text).toContain(`[${claim.position}]`);
      expect(claim.appearance.name.length).toBeLessThanOrEqual(80);
      expect(claim.appearance.abstract.length).toBeLessThanOrEqual(160);
    }
    expect(reply.activity.channelData).toEqual({ feedbackLoopEnabled: true });
  });

  async function submitCvScreening(title: string) {
    await bot.post(connector.activity(submitter, personal, { text: 'intake' }));
    const form = await connector.nextMessage(personal.id);
    const submissionId = cardOf(form).actions?.[0]?.data?.submissionId as string;
    const submit = await bot.post(
      connector.activity(submitter, personal, {
        replyToId: form.activityId,
        value: {
          action: 'intake.submit',
          submissionId,
          ...cardValues({ ...cvScreeningIntake, title, description: 'Scores and ranks incoming CVs so recruiters can shortlist job applicants for interviews.', regions: ['EU'] }),
        },
      }),
    );
    expect(submit.status).toBe(200);
    return form;
  }

  it('takes a CV-screening intake through review to the submitter', async () => {
    const form = await submitCvScreening('CV screening assistant');
    const posted = await connector.nextMessage(governanceChannel);
    const review = cardOf(posted);
    expect(review.actions?.map((action) => action.data.decision)).toEqual(['approve', 'approve_with_conditions', 'request_changes', 'reject']);
    expect(cardText(review)).toContain('High risk');
    const intakeId = review.actions?.[0]?.data?.intakeId as string;
    const result = await connector.nextUpdate(form.activityId);
    expect(cardText(cardOf(result))).toContain(intakeId);
    expect(cardText(cardOf(result))).toContain('High risk');

    await bot.post(connector.activity(outsider, governance, { replyToId: posted.activityId, value: { action: 'review.decide', intakeId, decision: 'approve' } }));
    expect((await connector.nextMessage(governance.id)).activity.text).toContain('Only members of the governance team');
    expect((await app.store.listAudit({ intakeId })).map((entry) => entry.action)).toContain('decision.refused');

    await bot.post(connector.activity(reviewer, governance, { replyToId: posted.activityId, value: { action: 'review.decide', intakeId, decision: 'approve', comment: '' } }));
    const updated = await connector.nextUpdate(posted.activityId);
    expect(cardText(cardOf(updated))).toContain(`Approved by ${reviewer.name}`);
    expect(cardOf(updated).actions).toBeUndefined();
    const notice = await connector.nextMessage(personal.id);
    expect(notice.activity.text).toContain(intakeId);
    expect((await app.intakes.get(intakeId)).status).toBe('approved');
  });

  it('lets the submitter revise and resubmit after changes were requested', async () => {
    const form = await submitCvScreening('Interview scheduling ranker');
    const posted = await connector.nextMessage(governanceChannel);
    await connector.nextUpdate(form.activityId);
    const intakeId = cardOf(posted).actions?.[0]?.data?.intakeId as string;
    await bot.post(
      connector.activity(reviewer, governance, {
        replyToId: posted.activityId,
        value: { action: 'review.decide', intakeId, decision: 'request_changes', comment: 'Describe the human review step.' },
      }),
    );
    await connector.nextUpdate(posted.activityId);
    const notice = await connector.nextMessage(personal.id);
    expect(notice.activity.text).toContain('Describe the human review step.');
    const revise = cardOf(notice).actions?.[0];
    expect(revise).toMatchObject({ title: 'Revise and resubmit', data: { action: 'intake.revise', intakeId } });

    await bot.post(connector.activity(submitter, personal, { replyToId: notice.activityId, value: revise!.data }));
    const revision = await connector.nextMessage(personal.id);
    const card = cardOf(revision);
    const data = card.actions?.[0]?.data as { submissionId: string; previousId: string };
    expect(data.previousId).toBe(intakeId);
    const title = JSON.stringify(card.body).includes('Interview scheduling ranker');
    expect(title).toBe(true);
    await bot.post(
      connector.activity(submitter, personal, {
        replyToId: revision.activityId,
        value: {
          ...data,
          action: 'intake.submit',
          ...cardValues({
            ...cvScreeningIntake,
            title: 'Interview scheduling ranker',
            description: 'Scores and ranks CVs; a recruiter reviews every shortlist before anyone is contacted.',
            decisionImpact: 'assistive',
            regions: ['EU'],
          }),
        },
      }),
    );
    const second = await connector.nextMessage(governanceChannel);
    const secondId = cardOf(second).actions?.[0]?.data?.intakeId as string;
    const record = await app.intakes.get(secondId);
    expect(record.version).toBe(2);
    expect(record.previousId).toBe(intakeId);
  });
});
