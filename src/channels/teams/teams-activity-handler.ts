// The Teams turn logic: translates each incoming activity into one core call and renders the result.
// Messages ask questions (or run the `intake`, `help`, `status`, `obligations` commands); Action.Submit
// payloads submit intakes, decide reviews, update obligation items and forward questions; the
// feedback invoke stores feedback; installation events capture the governance conversation. Every
// activity id is claimed once in the shared store, so a redelivered activity never answers or
// submits twice.
import { randomUUID } from 'node:crypto';
import { TurnContext, type Activity } from 'botbuilder';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { actorKey, type Actor } from '../../core/actor.js';
import { localeFromTag } from '../../core/i18n/locale.js';
import { en } from '../../core/i18n/messages-en.js';
import { t } from '../../core/i18n/translate.js';
import { statusLabel, tierLabel } from '../../core/presentation/classification-presentation.js';
import { answerWithLinks } from '../../core/presentation/answer-presentation.js';
import { commentProblem } from '../../core/review/review-transitions.js';
import { isShishinError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { answerActivity } from './answer-activity.js';
import { cardAttachment, type AdaptiveCard } from './adaptive-card.js';
import {
  cardDataSchema,
  formValuesFromInput,
  formValuesFromSubmission,
  intakeCandidateFromValues,
  obligationFormValues,
  type IntakeSubmitData,
  type ObligationUpdateData,
  type ReviewDecisionData,
} from './intake-card-data.js';
import { obligationStatusWords } from '../../core/review/create-obligation-service.js';
import { obligationsCard } from './obligation-cards.js';
import { workbenchText } from './workbench-text.js';
import { intakeFormCard, intakeResultCard } from './intake-cards.js';
import { reviewCard } from './review-card.js';
import { withoutActivityId, type TeamsConversationStore } from './teams-conversation-store.js';
import type { TeamsReviewDelivery } from './teams-review-notifier.js';
import { activityReader, recordForReader, reviewConversationReader, type TeamsReader } from './teams-reader.js';
import { escapeTeamsText, truncateText } from './teams-text.js';

/** The help text in English (each user gets it in their language). */
export const helpText = en.teams.help;

const feedbackInvokeSchema = z.object({
  actionName: z.literal('feedback'),
  actionValue: z.object({
    reaction: z.enum(['like', 'dislike']),
    feedback: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  }),
});

const feedbackTextSchema = z.object({ feedbackText: z.string().max(4000) }).loose();

/** The Teams identity of whoever sent the activity: AAD object id when present (always in Teams). */
export function actorFromActivity(activity: Partial<Activity>): Actor {
  const from = activity.from;
  const id = from?.aadObjectId ?? from?.id ?? 'unknown';
  return { channel: 'teams', id, ...(from?.name !== undefined && from.name !== '' ? { displayName: from.name } : {}) };
}

/** The user's text with the bot's @mention (and any other <at> tags) removed. */
export function messageText(activity: Activity): string {
  const withoutBot = TurnContext.removeRecipientMention(activity) ?? activity.text ?? '';
  return withoutBot
    .replace(/<at[^>]*>(.*?)<\/at>/gi, '$1')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The Entra tenant an activity came from (Teams puts it in channelData and on the conversation). */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  return typeof fromChannelData === 'string' ? fromChannelData : activity.conversation?.tenantId;
}

export interface TeamsActivityHandlerDependencies {
  app: AppContext;
  conversations: TeamsConversationStore;
  delivery: TeamsReviewDelivery;
  logger: Logger;
  /**
   * Runs `work` after the current HTTP request has been answered, in a new turn on the same
   * conversation whose replies still reply to the user's message. Answers can take longer than
   * Teams waits for a response (an LLM call), so they are produced this way.
   */
  continueLater: (context: TurnContext, work: (later: TurnContext) => Promise<void>) => void;
}

export class TeamsActivityHandler {
  private readonly app: AppContext;
  private readonly conversations: TeamsConversationStore;
  private readonly delivery: TeamsReviewDelivery;
  private readonly logger: Logger;

  private readonly continueLater: TeamsActivityHandlerDependencies['continueLater'];

  constructor(dependencies: TeamsActivityHandlerDependencies) {
    this.continueLater = dependencies.continueLater;
    this.app = dependencies.app;
    this.conversations = dependencies.conversations;
    this.delivery = dependencies.delivery;
    this.logger = dependencies.logger;
  }

  /** Runs one turn. Never throws: failures are logged and told to the user in one line. */
  async onTurn(context: TurnContext): Promise<void> {
    const { activity } = context;
    const type = activity.type ?? 'unknown';
    try {
      if (!this.fromOwnTenant(activity)) {
        this.count(type, 'other_tenant');
        this.logger.warn({ activityId: activity.id, type }, 'Teams activity from another tenant ignored');
        if (type === 'invoke') await this.invokeResponse(context, 403);
        return;
      }
      await this.rememberService(activity);
      if (!(await this.claim(activity))) {
        this.count(type, 'duplicate');
        this.logger.info({ activityId: activity.id, type }, 'duplicate Teams activity ignored');
        if (type === 'invoke') await this.invokeResponse(context, 200);
        return;
      }
      switch (type) {
        case 'message':
          if (activity.value !== undefined && activity.value !== null) await this.onCardSubmit(context);
          else await this.onMessage(context);
          return;
        case 'invoke':
          await this.onInvoke(context);
          return;
        case 'conversationUpdate':
          if ((activity.membersAdded ?? []).some((member) => member.id === activity.recipient?.id)) {
            await this.onInstalled(context, true);
          }
          return;
        case 'installationUpdate':
          if (activity.action === 'add' || activity.action === 'add-upgrade') await this.onInstalled(context, false);
          return;
        default:
          this.count(type, 'ignored');
      }
    } catch (error) {
      this.count(type, 'failed');
      this.logger.error({ err: error, activityId: activity.id, type }, 'Teams turn failed');
      if (type === 'message') {
        await context.sendActivity(t(this.reader(context).locale, 'teams.failure')).catch((sendError: unknown) => {
          this.logger.warn({ err: sendError }, 'could not tell the user about a failure');
        });
      } else if (type === 'invoke') {
        await this.invokeResponse(context, 500).catch(() => undefined);
      }
    }
  }

  /** With MicrosoftAppTenantId set, only that tenant's Teams users are served. */
  private fromOwnTenant(activity: Activity): boolean {
    const ownTenant = this.app.config.teams.tenantId;
    if (ownTenant === undefined || activity.channelId !== 'msteams') return true;
    return tenantOf(activity) === ownTenant;
  }

  /** The person who sent the activity, as a reader: the activity's locale, else DEFAULT_LOCALE. */
  private reader(context: TurnContext): TeamsReader {
    return activityReader(this.app, context.activity);
  }

  private count(type: string, outcome: string): void {
    this.app.metrics.chatEvents.inc({ channel: 'teams', type, outcome });
  }

  private async claim(activity: Activity): Promise<boolean> {
    if (activity.id === undefined || activity.id === '') return true;
    const conversationId = activity.conversation?.id ?? '';
    return this.app.store.claimEvent('teams', `${conversationId}|${activity.id}`);
  }

  private async rememberService(activity: Activity): Promise<void> {
    if (activity.channelId !== 'msteams' || activity.serviceUrl === undefined) return;
    const tenantId = tenantOf(activity);
    await this.conversations.rememberService({
      serviceUrl: activity.serviceUrl,
      ...(tenantId !== undefined ? { tenantId } : {}),
      ...(activity.recipient?.id !== undefined ? { botId: activity.recipient.id } : {}),
    });
  }

  private async invokeResponse(context: TurnContext, status: number, body?: unknown): Promise<void> {
    await context.sendActivity({ type: 'invokeResponse', value: { status, ...(body === undefined ? {} : { body }) } });
  }

  // ——— messages ———

  private async onMessage(context: TurnContext): Promise<void> {
    const text = messageText(context.activity);
    const command = text.toLowerCase().replace(/^\//, '').replace(/[.!?]+$/, '');
    if (command === '' || command === 'help') {
      await context.sendActivity({ type: 'message', textFormat: 'markdown', text: t(this.reader(context).locale, 'teams.help') });
      this.count('message', 'help');
      return;
    }
    if (command === 'intake') {
      await this.sendIntakeForm(context);
      return;
    }
    if (command === 'status') {
      await this.sendStatus(context);
      return;
    }
    if (command === 'obligations') {
      await this.sendObligations(context);
      return;
    }
    await this.answer(context, text);
  }

  private async answer(context: TurnContext, question: string): Promise<void> {
    if (question.length > this.app.config.maxQuestionChars) {
      await context.sendActivity(t(this.reader(context).locale, 'teams.answer.tooLong', { limit: this.app.config.maxQuestionChars }));
      this.count('message', 'rejected');
      return;
    }
    await context.sendActivity({ type: 'typing' });
    this.continueLater(context, (later) => this.produceAnswer(later, question));
  }

  private async produceAnswer(context: TurnContext, question: string): Promise<void> {
    // Teams shows a typing indicator for a few seconds; repeat it while the answer is being prepared.
    const typing = setInterval(() => {
      context.sendActivity({ type: 'typing' }).catch(() => undefined);
    }, 3000);
    typing.unref();
    const started = performance.now();
    try {
      // The answer speaks the language of the question (its framing and labels alike).
      const answer = await this.app.answers.ask({ question });
      clearInterval(typing);
      const response = await context.sendActivity(answerActivity(answerWithLinks(answer, this.app.config.publicUrl), { channelId: context.activity.channelId, question }));
      this.app.metrics.answerDuration.observe({ mode: answer.mode, channel: 'teams' }, (performance.now() - started) / 1000);
      this.count('message', 'answered');
      if (response?.id !== undefined) await this.conversations.linkAnswer(response.id, answer.answerId);
      this.logger.info({ answerId: answer.answerId, mode: answer.mode, citations: answer.citations.length }, 'Teams question answered');
    } catch (error) {
      clearInterval(typing);
      this.count('message', 'failed');
      this.logger.error({ err: error }, 'answering a Teams question failed');
      const { locale } = this.reader(context);
      await context
        .sendActivity(t(locale, isShishinError(error, 'rate_limited') ? 'teams.answer.busy' : 'teams.answer.failed'))
        .catch((sendError: unknown) => this.logger.warn({ err: sendError }, 'could not tell the user about a failure'));
    }
  }

  private async sendIntakeForm(context: TurnContext): Promise<void> {
    const { locale } = this.reader(context);
    await context.sendActivity({ type: 'message', attachments: [cardAttachment(intakeFormCard({ submissionId: randomUUID(), locale }))] });
    this.count('message', 'intake_form');
  }

  /** The form prefilled from an intake whose submitter was asked for changes. */
  private async sendRevisionForm(context: TurnContext, intakeId: string): Promise<void> {
    const actor = actorFromActivity(context.activity);
    const { locale } = this.reader(context);
    const record = await this.app.intakes.get(intakeId, locale).catch((error: unknown) => {
      if (isShishinError(error, 'not_found')) return undefined;
      throw error;
    });
    if (record === undefined || (actorKey(record.submittedBy) !== actorKey(actor) && !this.app.intakes.isGovernanceMember(actor))) {
      await context.sendActivity(t(locale, 'teams.intake.notFound', { id: escapeTeamsText(intakeId) }));
      return;
    }
    if (record.status !== 'changes_requested') {
      const status = statusLabel(locale, record.status);
      await context.sendActivity(t(locale, 'teams.intake.notRevisable', { id: escapeTeamsText(record.id), status: locale === 'en' ? status.toLowerCase() : status }));
      return;
    }
    const card = intakeFormCard({ submissionId: randomUUID(), values: formValuesFromInput(record.input), previousId: record.id, locale });
    await context.sendActivity({ type: 'message', attachments: [cardAttachment(card)] });
    this.count('card', 'revision_form');
  }

  private async sendStatus(context: TurnContext): Promise<void> {
    const actor = actorFromActivity(context.activity);
    const { locale } = this.reader(context);
    const records = await this.app.intakes.list({ submittedBy: actor, limit: 5 });
    const lines: string[] = [];
    if (records.length === 0) lines.push(t(locale, 'teams.intake.noIntakes'));
    else {
      lines.push(t(locale, 'teams.intake.recent'));
      for (const record of records) {
        lines.push(
          t(locale, 'teams.intake.statusRow', {
            id: escapeTeamsText(record.id),
            title: escapeTeamsText(truncateText(record.input.title, 80)),
            status: statusLabel(locale, record.status),
            tier: tierLabel(locale, record.classification.tier),
          }),
        );
      }
    }
    const obligations = (await this.app.obligations.forPerson(actor)).filter((entry) => entry.item.status === 'open');
    if (obligations.length > 0) lines.push('', workbenchText.statusLine(obligations.length));
    if (this.app.intakes.isGovernanceMember(actor)) {
      const queue = await this.app.intakes.queue();
      lines.push('', t(locale, 'teams.intake.waiting', { count: queue.length }));
    }
    await context.sendActivity({ type: 'message', textFormat: 'markdown', text: lines.join('\n') });
    this.count('message', 'status');
  }

  // ——— card submissions ———

  private async onCardSubmit(context: TurnContext): Promise<void> {
    const parsed = cardDataSchema.safeParse(context.activity.value);
    if (!parsed.success) {
      this.count('card', 'invalid');
      this.logger.warn({ issues: parsed.error.issues.length }, 'unrecognised Teams card data');
      await context.sendActivity(t(this.reader(context).locale, 'teams.intake.outdatedCard'));
      return;
    }
    const data = parsed.data;
    switch (data.action) {
      case 'intake.submit':
        await this.submitIntake(context, data);
        return;
      case 'review.decide':
        await this.decide(context, data);
        return;
      case 'ask.escalate':
        await this.escalate(context, data.question);
        return;
      case 'intake.open':
        await this.sendIntakeForm(context);
        return;
      case 'intake.revise':
        await this.sendRevisionForm(context, data.intakeId);
        return;
      case 'obligation.update':
        await this.updateObligation(context, data);
        return;
    }
  }

  /** The sender's open obligation items, each with its update form. */
  private async sendObligations(context: TurnContext): Promise<void> {
    const entries = await this.app.obligations.forPerson(actorFromActivity(context.activity));
    await context.sendActivity({ type: 'message', attachments: [cardAttachment(obligationsCard(entries, this.app.clock.now()))] });
    this.count('message', 'obligations');
  }

  /** "Save" on an item's form: core updates it; the card is refreshed with the outcome on top. */
  private async updateObligation(context: TurnContext, data: ObligationUpdateData): Promise<void> {
    const actor = actorFromActivity(context.activity);
    await this.rememberSubmitter(context.activity);
    try {
      const { item } = await this.app.obligations.update({
        itemId: data.itemId,
        actor,
        ...obligationFormValues(data),
        ...(data.revision === undefined ? {} : { revision: data.revision }),
      });
      this.count('card', 'obligation_updated');
      this.logger.info({ itemId: item.id, status: item.status }, 'obligation item updated from Teams');
      const entries = await this.app.obligations.forPerson(actor);
      await this.replaceCard(
        context,
        obligationsCard(entries, this.app.clock.now(), { notice: escapeTeamsText(workbenchText.saved(item.id, obligationStatusWords(item.status))) }),
      );
    } catch (error) {
      if (isShishinError(error, 'not_found')) {
        await context.sendActivity(escapeTeamsText(workbenchText.itemMissing(data.itemId)));
        this.count('card', 'obligation_refused');
        return;
      }
      if (isShishinError(error, 'input_invalid') || isShishinError(error, 'not_authorised') || isShishinError(error, 'conflict')) {
        this.count('card', 'obligation_refused');
        await context.sendActivity(escapeTeamsText(workbenchText.notSaved(data.itemId, error.message)));
        return;
      }
      throw error;
    }
  }

  /** Replaces the card the user clicked (its id is the submit's replyToId), or sends a new one. */
  private async replaceCard(context: TurnContext, card: AdaptiveCard): Promise<void> {
    const cardId = context.activity.replyToId;
    const attachments = [cardAttachment(card)];
    if (cardId !== undefined && cardId !== '') {
      await context.updateActivity({ type: 'message', id: cardId, attachments });
    } else {
      await context.sendActivity({ type: 'message', attachments });
    }
  }

  private async submitIntake(context: TurnContext, data: IntakeSubmitData): Promise<void> {
    const actor = actorFromActivity(context.activity);
    const reader = this.reader(context);
    const { locale } = reader;
    const values = formValuesFromSubmission(data);
    await this.rememberSubmitter(context.activity);
    try {
      const { record, created } = await this.app.intakes.submit({
        input: intakeCandidateFromValues(values),
        submittedBy: actor,
        idempotencyKey: `teams:${data.submissionId}`,
        ...(data.previousId !== undefined ? { previousId: data.previousId } : {}),
        locale,
      });
      await this.replaceCard(context, intakeResultCard(recordForReader(this.app, record, reader), locale));
      this.count('card', created ? 'intake_submitted' : 'intake_repeated');
      this.logger.info({ intakeId: record.id, tier: record.classification.tier, created }, 'Teams intake submitted');
    } catch (error) {
      if (isShishinError(error, 'input_invalid')) {
        const errors = error.fields ?? [{ field: '_', message: error.message }];
        await this.replaceCard(
          context,
          intakeFormCard({
            submissionId: data.submissionId,
            values,
            errors,
            ...(data.previousId !== undefined ? { previousId: data.previousId } : {}),
            locale,
          }),
        );
        this.count('card', 'intake_invalid');
        return;
      }
      if (isShishinError(error, 'not_found') || isShishinError(error, 'conflict')) {
        await context.sendActivity(escapeTeamsText(error.message));
        this.count('card', 'intake_refused');
        return;
      }
      throw error;
    }
  }

  /** Keeps a way to reach the submitter later (their personal chat, or the chat they used). */
  private async rememberSubmitter(activity: Activity): Promise<void> {
    const aadObjectId = activity.from?.aadObjectId;
    if (aadObjectId === undefined || activity.serviceUrl === undefined) return;
    const reference = withoutActivityId(TurnContext.getConversationReference(activity));
    const personal = activity.conversation?.conversationType === 'personal';
    const tenantId = tenantOf(activity);
    const locale = localeFromTag(activity.locale);
    await this.conversations.setUserTarget(aadObjectId, {
      reference: { ...reference, serviceUrl: activity.serviceUrl, channelId: activity.channelId, conversation: activity.conversation },
      userId: activity.from.id,
      personal,
      ...(tenantId !== undefined ? { tenantId } : {}),
      ...(locale !== undefined ? { locale } : {}),
    });
  }

  private async decide(context: TurnContext, data: ReviewDecisionData): Promise<void> {
    const actor = actorFromActivity(context.activity);
    const comment = data.comment?.trim();
    // Replies go to the reviewer in their language; the card itself speaks the review conversation's.
    const { locale } = this.reader(context);
    const cardReader = reviewConversationReader(this.app);
    const card = (record: Parameters<typeof reviewCard>[0], notice?: string) =>
      reviewCard(recordForReader(this.app, record, cardReader), { reader: cardReader, ...(notice === undefined ? {} : { notice }) });
    try {
      const record = await this.app.intakes.decide({
        intakeId: data.intakeId,
        actor,
        decision: data.decision,
        ...(comment !== undefined && comment !== '' ? { comment } : {}),
        locale,
      });
      this.count('card', 'decided');
      this.logger.info({ intakeId: record.id, decision: data.decision }, 'Teams review decision recorded');
      // The notifier updates every recorded review card; update this one too if it was not recorded.
      const clicked = context.activity.replyToId;
      const recorded = record.reviewMessages.some(
        (message) => message.channel === 'teams' && message.reference.activityId === clicked,
      );
      if (!recorded) await this.replaceCard(context, card(record));
    } catch (error) {
      if (isShishinError(error, 'not_authorised') || isShishinError(error, 'rate_limited')) {
        this.count('card', 'decision_refused');
        await context.sendActivity(
          isShishinError(error, 'not_authorised') && !this.app.intakes.isGovernanceMember(actor)
            ? t(locale, 'teams.review.notMember', { id: escapeTeamsText(data.intakeId) })
            : t(locale, 'teams.review.refused', { reason: escapeTeamsText(error.message), id: escapeTeamsText(data.intakeId) }),
        );
        return;
      }
      if (isShishinError(error, 'input_invalid') || isShishinError(error, 'conflict')) {
        const conflict = error.code === 'conflict';
        this.count('card', conflict ? 'decision_conflict' : 'decision_invalid');
        const record = await this.app.intakes.get(data.intakeId);
        // The card's notice is read in the review conversation: word the comment error in its language.
        const notice = conflict ? undefined : (commentProblem(data.decision, comment === '' ? undefined : comment, cardReader.locale) ?? error.fields?.[0]?.message ?? error.message);
        await this.replaceCard(context, card(record, notice));
        if (conflict) {
          await context.sendActivity(t(locale, 'teams.review.alreadyDecided', { id: escapeTeamsText(data.intakeId) }));
        }
        return;
      }
      if (isShishinError(error, 'not_found')) {
        await context.sendActivity(t(locale, 'teams.review.notFound', { id: escapeTeamsText(data.intakeId) }));
        return;
      }
      throw error;
    }
  }

  private async escalate(context: TurnContext, question: string): Promise<void> {
    const actor = actorFromActivity(context.activity);
    const sent = await this.delivery.forwardQuestion(actor, question);
    this.count('card', sent ? 'escalated' : 'escalation_unavailable');
    await context.sendActivity(t(this.reader(context).locale, sent ? 'teams.review.escalated' : 'teams.review.noConversation'));
  }

  // ——— invokes ———

  private async onInvoke(context: TurnContext): Promise<void> {
    const { activity } = context;
    if (activity.name !== 'message/submitAction') {
      this.count('invoke', 'ignored');
      await this.invokeResponse(context, 501);
      return;
    }
    const parsed = feedbackInvokeSchema.safeParse(activity.value);
    if (!parsed.success) {
      this.count('invoke', 'invalid');
      await this.invokeResponse(context, 400);
      return;
    }
    const { reaction, feedback } = parsed.data.actionValue;
    let comment: string | undefined;
    if (typeof feedback === 'string') {
      try {
        comment = feedbackTextSchema.safeParse(JSON.parse(feedback)).data?.feedbackText;
      } catch {
        comment = feedback;
      }
    } else if (feedback !== undefined) {
      comment = feedbackTextSchema.safeParse(feedback).data?.feedbackText;
    }
    const replyTo = activity.replyToId ?? '';
    const answerId = (replyTo === '' ? undefined : await this.conversations.answerFor(replyTo)) ?? `teams:${replyTo}`;
    await this.app.store.saveFeedback({
      answerId,
      actor: actorFromActivity(activity),
      rating: reaction === 'like' ? 'up' : 'down',
      ...(comment !== undefined && comment.trim() !== '' ? { comment: comment.trim().slice(0, 2000) } : {}),
      at: this.app.clock.now().toISOString(),
    });
    this.count('invoke', 'feedback');
    this.logger.info({ answerId, rating: reaction }, 'Teams answer feedback saved');
    await this.invokeResponse(context, 200, {});
  }

  // ——— installation ———

  private async onInstalled(context: TurnContext, welcome: boolean): Promise<void> {
    const { activity } = context;
    // A personal install is the first chance to remember how to reach this user later.
    if (activity.conversation?.conversationType === 'personal') await this.rememberSubmitter(activity);
    const captured = await this.delivery.captureReviewConversation(activity);
    if (welcome) {
      const text = captured
        ? t(reviewConversationReader(this.app).locale, 'teams.welcome.reviewChannel')
        : t(this.reader(context).locale, 'teams.welcome.personal');
      await context.sendActivity({ type: 'message', textFormat: 'markdown', text });
    }
    this.count(activity.type ?? 'install', captured ? 'review_captured' : 'installed');
  }
}
