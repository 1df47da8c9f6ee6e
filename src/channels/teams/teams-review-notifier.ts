// Proactive Teams messages for the review workflow. As a ReviewNotifier it posts every flagged intake
// (from any door) to the governance conversation as a review card, replaces that card in place once a
// decision is made (through any door), and tells a Teams submitter the outcome in their personal chat.
// It also forwards "Ask the governance team" questions. Errors are logged, never thrown.
import { TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import type { Actor } from '../../core/actor.js';
import { t } from '../../core/i18n/translate.js';
import { statusLabel } from '../../core/presentation/classification-presentation.js';
import type { QuestionEscalation, ReviewNotifier } from '../../core/review/intake-service.js';
import type { ReviewChanges } from '../../core/review/reminders.js';
import type { IntakeRecord, ReviewMessageRef } from '../../core/review/review-types.js';
import type { Logger } from '../../logger.js';
import { adaptiveCard, cardAttachment, submitAction, textBlock } from './adaptive-card.js';
import { reviewCard } from './review-card.js';
import { parseConversationReference, withoutActivityId, type TeamsConversationStore, type UserTarget } from './teams-conversation-store.js';
import { recordForReader, reviewConversationReader, teamsReader } from './teams-reader.js';
import { escapeTeamsText } from './teams-text.js';

/** Teams' global service URL, used for a configured review conversation before any activity arrived. */
const defaultTeamsServiceUrl = 'https://smba.trafficmanager.net/teams/';

const storedReviewMessageSchema = z.object({
  conversation: z.unknown().transform((value, context) => {
    const reference = parseConversationReference(value);
    if (reference === undefined) {
      context.addIssue({ code: 'custom', message: 'not a conversation reference' });
      return z.NEVER;
    }
    return reference;
  }),
  activityId: z.string().min(1),
});

export interface TeamsReviewDeliveryOptions {
  app: AppContext;
  adapter: CloudAdapter;
  /** The bot's app id ('' when unauthenticated). */
  appId: string;
  conversations: TeamsConversationStore;
  logger: Logger;
  /** Token audience for new conversations; Bot Framework's public cloud scope by default. */
  audience?: string;
}

/** Where review cards go: the configured conversation id, else the one captured at installation. */
export class TeamsReviewDelivery implements ReviewNotifier {
  readonly name = 'teams';
  private readonly app: AppContext;
  private readonly adapter: CloudAdapter;
  private readonly appId: string;
  private readonly conversations: TeamsConversationStore;
  private readonly logger: Logger;
  private readonly audience: string;

  constructor(options: TeamsReviewDeliveryOptions) {
    this.audience = options.audience ?? AuthenticationConstants.ToChannelFromBotOAuthScope;
    this.app = options.app;
    this.adapter = options.adapter;
    this.appId = options.appId;
    this.conversations = options.conversations;
    this.logger = options.logger;
  }

  /**
   * Posts a new message (not a reply) to a conversation. botbuilder gives the continuation activity a
   * random id and would send a reply to it, so the id is cleared first.
   */
  private async post(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string | undefined> {
    let id: string | undefined;
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      delete context.activity.id;
      id = (await context.sendActivity(activity))?.id;
    });
    return id;
  }

  /** The governance conversation reference, or undefined when none is configured or captured. */
  async reviewReference(): Promise<Partial<ConversationReference> | undefined> {
    const configured = this.app.config.teams.reviewConversation;
    const captured = await this.conversations.getReviewTarget();
    if (configured === undefined) return captured?.reference;
    if (captured !== undefined && captured.reference.conversation.id === configured) {
      return captured.reference;
    }
    const service = await this.conversations.getLastService();
    if (service === undefined) {
      this.logger.warn('no Teams activity seen yet; using the global Teams service URL for the review conversation');
    }
    const tenantId = service?.tenantId ?? this.app.config.teams.tenantId;
    return {
      channelId: 'msteams',
      serviceUrl: service?.serviceUrl ?? defaultTeamsServiceUrl,
      conversation: {
        id: configured,
        isGroup: true,
        conversationType: 'channel',
        name: '',
        ...(tenantId !== undefined ? { tenantId } : {}),
      },
      ...(service?.botId !== undefined ? { bot: { id: service.botId, name: '' } } : {}),
    };
  }

  /** How review cards are routed, for the start-up line. */
  async describeReviewTarget(): Promise<string> {
    if (this.app.config.teams.reviewConversation !== undefined) return 'review conversation from TEAMS_REVIEW_CONVERSATION';
    return (await this.conversations.getReviewTarget()) === undefined
      ? 'no review conversation yet (install the app in the governance team, or set TEAMS_REVIEW_CONVERSATION)'
      : 'review conversation captured at installation';
  }

  /**
   * Called when the bot is added somewhere: a team channel installed by a governance member becomes
   * the review conversation (unless TEAMS_REVIEW_CONVERSATION names another one). Returns whether it did.
   */
  async captureReviewConversation(activity: Activity): Promise<boolean> {
    if (activity.conversation?.conversationType !== 'channel') return false;
    const installer: Actor = { channel: 'teams', id: activity.from?.aadObjectId ?? activity.from?.id ?? '' };
    if (!this.app.intakes.isGovernanceMember(installer)) return false;
    const reference = TurnContext.getConversationReference(activity);
    const conversationId = (reference.conversation?.id ?? '').split(';messageid=')[0] ?? '';
    const configured = this.app.config.teams.reviewConversation;
    if (configured !== undefined && configured !== conversationId) return false;
    const withoutActivity = withoutActivityId(reference);
    await this.conversations.setReviewTarget({
      reference: {
        ...withoutActivity,
        serviceUrl: activity.serviceUrl,
        channelId: activity.channelId,
        conversation: { ...activity.conversation, id: conversationId },
      },
      capturedAt: this.app.clock.now().toISOString(),
      capturedBy: installer.id,
    });
    this.logger.info({ conversationId }, 'Teams review conversation captured');
    return true;
  }

  /** Posts a user's question to the governance conversation. False when there is none. */
  async forwardQuestion(actor: Actor, question: string): Promise<boolean> {
    const reference = await this.reviewReference();
    if (reference === undefined) return false;
    const { locale } = reviewConversationReader(this.app);
    const card = adaptiveCard([
      textBlock(t(locale, 'teams.review.questionFrom', { name: escapeTeamsText(actor.displayName ?? actor.id) }), { weight: 'Bolder' }),
      textBlock(escapeTeamsText(question)),
      textBlock(t(locale, 'teams.review.replyDirectly'), { isSubtle: true, size: 'Small' }),
    ]);
    await this.post(reference, { type: 'message', attachments: [cardAttachment(card)] });
    return true;
  }

  /** An escalated question from another door (the console), posted like a Teams one. */
  async questionEscalated(escalation: QuestionEscalation): Promise<boolean> {
    return this.forwardQuestion(escalation.askedBy, escalation.question);
  }

  async intakeSubmitted(record: IntakeRecord): Promise<void> {
    if (record.status !== 'pending_review') return;
    try {
      const reference = await this.reviewReference();
      if (reference === undefined) {
        this.logger.info({ intakeId: record.id }, 'no Teams review conversation; review card not posted');
        return;
      }
      const reader = reviewConversationReader(this.app);
      const activityId = await this.post(reference, {
        type: 'message',
        summary: t(reader.locale, 'teams.review.summary', { id: record.id, title: record.input.title }),
        attachments: [cardAttachment(reviewCard(recordForReader(this.app, record, reader), { reader }))],
      });
      if (activityId === undefined) return;
      const stored: ReviewMessageRef = {
        channel: 'teams',
        reference: { conversation: reference, activityId },
      };
      await this.app.store.addReviewMessage(record.id, stored);
      this.logger.info({ intakeId: record.id, activityId }, 'Teams review card posted');
    } catch (error) {
      this.logger.error({ err: error, intakeId: record.id }, 'posting the Teams review card failed');
    }
  }

  async intakeDecided(record: IntakeRecord): Promise<void> {
    await this.updateReviewCards(record);
    await this.notifySubmitter(record);
  }

  private async updateReviewCards(record: IntakeRecord): Promise<void> {
    try {
      const fresh = await this.app.store.getIntake(record.id);
      const messages = [...record.reviewMessages, ...(fresh?.reviewMessages ?? [])].filter((message) => message.channel === 'teams');
      const seen = new Set<string>();
      for (const message of messages) {
        const parsed = storedReviewMessageSchema.safeParse(message.reference);
        if (!parsed.success || seen.has(parsed.data.activityId)) continue;
        seen.add(parsed.data.activityId);
        const { conversation, activityId } = parsed.data;
        await this.adapter.continueConversationAsync(
          this.appId,
          conversation,
          async (context) => {
            const reader = reviewConversationReader(this.app);
            await context.updateActivity({ type: 'message', id: activityId, attachments: [cardAttachment(reviewCard(recordForReader(this.app, record, reader), { reader }))] });
          },
        );
        this.logger.info({ intakeId: record.id, activityId }, 'Teams review card updated');
      }
    } catch (error) {
      this.logger.error({ err: error, intakeId: record.id }, 'updating the Teams review card failed');
    }
  }

  /**
   * Posts a re-review card (the review card with its buttons again, and what changed) to the
   * governance conversation and remembers it, so the decision replaces it in place. False when there
   * is no governance conversation. Throws when Teams fails (the caller retries).
   */
  async postReviewDue(record: IntakeRecord, changes: ReviewChanges): Promise<boolean> {
    const reference = await this.reviewReference();
    if (reference === undefined) {
      this.logger.info({ intakeId: record.id }, 'no Teams review conversation; re-review card not posted');
      return false;
    }
    const activityId = await this.post(reference, {
      type: 'message',
      summary: `Re-review ${record.id}: ${record.input.title}`,
      attachments: [cardAttachment(reviewCard(recordForReader(this.app, record, reviewConversationReader(this.app)), { changes, reader: reviewConversationReader(this.app) }))],
    });
    if (activityId !== undefined) {
      await this.app.store.addReviewMessage(record.id, { channel: 'teams', reference: { conversation: reference, activityId } });
    }
    this.logger.info({ intakeId: record.id, activityId }, 'Teams re-review card posted');
    return true;
  }

  /**
   * Sends a message to a Teams user in their personal chat with the bot (opened when the bot only met
   * them in a channel). False when Shishin has never seen the user. Throws when Teams fails.
   */
  async sendToUser(aadObjectId: string, message: Partial<Activity>): Promise<boolean> {
    const target = await this.conversations.getUserTarget(aadObjectId);
    if (target === undefined) return false;
    if (target.personal) {
      await this.post(target.reference, message);
    } else {
      await this.openPersonalChat(aadObjectId, target, async (context) => {
        await context.sendActivity(message);
      });
    }
    return true;
  }

  private async notifySubmitter(record: IntakeRecord): Promise<void> {
    if (record.submittedBy.channel !== 'teams' || record.decision === undefined) return;
    try {
      const target = await this.conversations.getUserTarget(record.submittedBy.id);
      if (target === undefined) {
        this.logger.info({ intakeId: record.id }, 'no Teams conversation known for the submitter');
        return;
      }
      // The submitter's own language, as their last activity gave it.
      const { locale } = teamsReader(this.app, target.locale);
      const by = record.decidedBy?.displayName ?? t(locale, 'teams.review.theGovernanceTeam');
      const lines = [
        t(locale, 'teams.review.decisionNotice', {
          id: escapeTeamsText(record.id),
          title: escapeTeamsText(record.input.title),
          status: statusLabel(locale, record.status),
          who: escapeTeamsText(by),
        }),
      ];
      if (record.decisionComment !== undefined && record.decisionComment !== '') {
        lines.push(t(locale, 'teams.review.comment', { comment: escapeTeamsText(record.decisionComment) }));
      }
      const message: Partial<Activity> = { type: 'message', textFormat: 'markdown', text: lines.join('\n\n'), locale: locale === 'ja' ? 'ja-JP' : 'en-US' };
      if (record.status === 'changes_requested') {
        message.attachments = [
          cardAttachment(
            adaptiveCard(
              [textBlock(t(locale, 'teams.review.reviseHint'), { isSubtle: true })],
              [submitAction(t(locale, 'teams.review.resubmit'), { action: 'intake.revise', intakeId: record.id })],
            ),
          ),
        ];
      }
      if (!(await this.sendToUser(record.submittedBy.id, message))) {
        this.logger.info({ intakeId: record.id }, 'no Teams conversation known for the submitter');
        return;
      }
      this.logger.info({ intakeId: record.id }, 'Teams submitter notified');
    } catch (error) {
      this.logger.error({ err: error, intakeId: record.id }, 'notifying the Teams submitter failed');
    }
  }

  /** Creates (or reopens) the 1:1 chat with a user the bot only met in a channel, and remembers it. */
  private async openPersonalChat(
    aadObjectId: string,
    target: UserTarget,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const reference = target.reference;
    const bot = reference.bot ?? { id: '', name: '' };
    const tenantId = target.tenantId;
    await this.adapter.createConversationAsync(
      this.appId,
      reference.channelId ?? 'msteams',
      target.reference.serviceUrl,
      this.audience,
      {
        isGroup: false,
        bot,
        members: [{ id: target.userId, name: '' }],
        ...(tenantId !== undefined ? { tenantId } : {}),
        channelData: tenantId === undefined ? {} : { tenant: { id: tenantId } },
      },
      async (context) => {
        delete context.activity.id;
        const personal = TurnContext.getConversationReference(context.activity);
        const withoutActivity = withoutActivityId(personal);
        await this.conversations.setUserTarget(aadObjectId, {
          reference: {
            ...withoutActivity,
            serviceUrl: target.reference.serviceUrl,
            channelId: personal.channelId ?? 'msteams',
            conversation: { ...context.activity.conversation, conversationType: 'personal' },
          },
          userId: target.userId,
          personal: true,
          ...(tenantId !== undefined ? { tenantId } : {}),
          ...(target.locale !== undefined ? { locale: target.locale } : {}),
        });
        await logic(context);
      },
    );
  }
}
