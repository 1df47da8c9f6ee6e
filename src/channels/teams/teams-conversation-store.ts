// Remembers Teams conversation references in the shared store's settings, so any replica can post
// proactively: the governance conversation, each submitter's chat, the last seen service URL, and
// which answer a bot message carried (for feedback). Values read back are validated with zod.
import type { ConversationAccount, ConversationReference } from 'botbuilder';
import { z } from 'zod';
import { locales } from '../../core/i18n/locale.js';
import type { IntakeStore } from '../../ports/intake-store.js';

const referenceSchema = z
  .object({
    serviceUrl: z.url(),
    channelId: z.string().min(1),
    conversation: z.looseObject({ id: z.string().min(1) }),
    bot: z.looseObject({ id: z.string() }).optional(),
    user: z.looseObject({ id: z.string() }).optional(),
    activityId: z.string().optional(),
    locale: z.string().optional(),
  })
  .loose();

/** A conversation reference as stored: enough to post proactively (service URL, channel, conversation). */
export type StoredConversationReference = Partial<ConversationReference> & {
  serviceUrl: string;
  channelId: string;
  conversation: ConversationAccount;
};

const storedReference = z.custom<StoredConversationReference>((value) => referenceSchema.safeParse(value).success, {
  message: 'not a conversation reference',
});

const reviewTargetSchema = z.object({ reference: storedReference, capturedAt: z.string(), capturedBy: z.string().optional() });
const userTargetSchema = z.object({
  reference: storedReference,
  /** The user's Bot Framework id (`29:…`), for creating a 1:1 chat. */
  userId: z.string(),
  /** True when `reference` is the user's personal chat with the bot. */
  personal: z.boolean(),
  tenantId: z.string().optional(),
  /** The user's language as their last activity gave it, for messages sent to them later. */
  locale: z.enum(locales).optional(),
});
const serviceSchema = z.object({ serviceUrl: z.url(), tenantId: z.string().optional(), botId: z.string().optional() });
const answerLinkSchema = z.object({ answerId: z.string() });

export type ReviewTarget = z.infer<typeof reviewTargetSchema>;
export type UserTarget = z.infer<typeof userTargetSchema>;
export type LastService = z.infer<typeof serviceSchema>;

const keys = {
  review: 'teams.reviewConversation',
  service: 'teams.lastService',
  user: (aadObjectId: string) => `teams.user.${aadObjectId}`,
  answer: (activityId: string) => `teams.answer.${activityId}`,
};

function parse<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** A copy of a conversation reference without the activity it was taken from (so sends are not replies). */
export function withoutActivityId<T extends { activityId?: string }>(reference: T): Omit<T, 'activityId'> {
  const copy = { ...reference };
  delete copy.activityId;
  return copy;
}

/** Checks that a value read from elsewhere (e.g. a review message ref) is a usable reference. */
export function parseConversationReference(value: unknown): StoredConversationReference | undefined {
  return parse(storedReference, value);
}

export class TeamsConversationStore {
  private lastServiceKey = '';

  constructor(private readonly store: IntakeStore) {}

  async getReviewTarget(): Promise<ReviewTarget | undefined> {
    return parse(reviewTargetSchema, await this.store.getSetting(keys.review));
  }

  async setReviewTarget(target: ReviewTarget): Promise<void> {
    await this.store.setSetting(keys.review, target);
  }

  async getUserTarget(aadObjectId: string): Promise<UserTarget | undefined> {
    return parse(userTargetSchema, await this.store.getSetting(keys.user(aadObjectId)));
  }

  /** A personal-chat reference always wins over a channel one; a channel one never replaces it. */
  async setUserTarget(aadObjectId: string, target: UserTarget): Promise<void> {
    if (!target.personal) {
      const existing = await this.getUserTarget(aadObjectId);
      if (existing?.personal === true) {
        // Keep the personal chat, but learn the language the user now uses.
        if (target.locale !== undefined && target.locale !== existing.locale) {
          await this.store.setSetting(keys.user(aadObjectId), { ...existing, locale: target.locale });
        }
        return;
      }
    }
    await this.store.setSetting(keys.user(aadObjectId), target);
  }

  async getLastService(): Promise<LastService | undefined> {
    return parse(serviceSchema, await this.store.getSetting(keys.service));
  }

  /** Writes only when the service URL or tenant changed (kept in memory to avoid a write per message). */
  async rememberService(service: LastService): Promise<void> {
    const key = JSON.stringify(service);
    if (key === this.lastServiceKey) return;
    this.lastServiceKey = key;
    await this.store.setSetting(keys.service, service);
  }

  async linkAnswer(activityId: string, answerId: string): Promise<void> {
    await this.store.setSetting(keys.answer(activityId), { answerId });
  }

  async answerFor(activityId: string): Promise<string | undefined> {
    return parse(answerLinkSchema, await this.store.getSetting(keys.answer(activityId)))?.answerId;
  }
}
