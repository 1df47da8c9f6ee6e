// "Ask the governance team": a question goes to every door's review place (Slack channel, Teams
// conversation) and into the audit trail, where the console's review queue lists it. Each person
// sends a given answer's question (or the same question) once a week at most.
import { createHash } from 'node:crypto';
import { actorKey, type Actor } from '../actor.js';
import { ShishinError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Clock } from '../../ports/clock.js';
import type { IntakeStore } from '../../ports/intake-store.js';
import type { EscalationResult, QuestionEscalation, ReviewNotifier } from './intake-service.js';

export const escalationAuditAction = 'question.escalated';
const maximumQuestionChars = 4000;
const onceWithinSeconds = 7 * 24 * 3600;

export interface QuestionEscalationDependencies {
  store: IntakeStore;
  clock: Clock;
  logger: Logger;
  notifiers: () => readonly ReviewNotifier[];
}

export function createQuestionEscalation(dependencies: QuestionEscalationDependencies) {
  const { store, clock, logger } = dependencies;

  async function escalateQuestion(request: { actor: Actor; question: string; answerId?: string }): Promise<EscalationResult> {
    const question = request.question.trim();
    if (question === '') throw new ShishinError('input_invalid', 'Write the question for the governance team.', { fields: [{ field: 'question', message: 'Write the question for the governance team.' }] });
    if (question.length > maximumQuestionChars) {
      throw new ShishinError('input_invalid', `Keep the question under ${maximumQuestionChars} characters.`, { fields: [{ field: 'question', message: `Keep the question under ${maximumQuestionChars} characters.` }] });
    }
    const answerId = request.answerId?.trim() === '' ? undefined : request.answerId?.trim().slice(0, 200);
    const escalation: QuestionEscalation = { question, askedBy: request.actor, askedAt: clock.now().toISOString(), ...(answerId === undefined ? {} : { answerId }) };
    const subject = answerId ?? createHash('sha256').update(question.toLowerCase().replace(/\s+/g, ' ')).digest('hex');
    const first = await store.claimEvent('escalation', `${actorKey(request.actor)}:${subject}`, onceWithinSeconds);
    if (!first) return { deliveredTo: [], duplicate: true, escalation };
    await store.appendAudit([{ action: escalationAuditAction, actor: request.actor, details: { question, ...(answerId === undefined ? {} : { answerId }) } }]);
    const deliveredTo: string[] = [];
    for (const notifier of dependencies.notifiers()) {
      if (notifier.questionEscalated === undefined) continue;
      try {
        if (await notifier.questionEscalated(escalation)) deliveredTo.push(notifier.name);
      } catch (error) {
        logger.error({ err: error, notifier: notifier.name }, 'escalated question could not be posted');
      }
    }
    logger.info({ deliveredTo, answerId }, 'question escalated to the governance team');
    return { deliveredTo, duplicate: false, escalation };
  }

  async function recentEscalations(limit = 10): Promise<QuestionEscalation[]> {
    const entries = await store.listAudit({ order: 'descending', limit: 500 });
    return entries
      .filter((entry) => entry.action === escalationAuditAction && typeof entry.details.question === 'string' && entry.actor.channel !== 'system')
      .slice(0, limit)
      .map((entry) => ({
        question: entry.details.question as string,
        askedBy: entry.actor as Actor,
        askedAt: entry.at,
        ...(typeof entry.details.answerId === 'string' ? { answerId: entry.details.answerId } : {}),
      }));
  }

  return { escalateQuestion, recentEscalations };
}
