// Renders an answer as a Slack message: the answer text with [n] markers, the numbered sources with
// short quotes, a one-line "Related sources" context (passages the answer does not cite), the AI note, feedback buttons and "Ask the governance team". All answer and
// document text is escaped; links are built only from validated http(s) URLs.
import type { AnswerDetails, Citation } from '../../core/answer/answer.js';
import type { Locale } from '../../core/i18n/locale.js';
import { t } from '../../core/i18n/translate.js';
import { answerLocale, answerNotes, citationLabel, maxRelatedSourcesInChat, shortQuote } from '../../core/presentation/answer-presentation.js';
import { clampBlocks, mrkdwnText, plainText, slackLimits, type Button, type KnownBlock, type SlackMessage } from './block-kit.js';
import { blockQuote, escapeMrkdwn, safeLink, splitText, truncate } from './mrkdwn.js';

export const answerActionIds = {
  feedbackUp: 'shishin_feedback_up',
  feedbackDown: 'shishin_feedback_down',
  escalate: 'shishin_escalate',
  share: 'shishin_share',
} as const;

/** Sections the answer text may span before it is cut. */
const maxAnswerSections = 4;
/** Citations listed in full; the rest are counted. */
const maxCitations = 10;
/** A related source's label is cut to this many characters before escaping (≤ 5× longer after it). */
const relatedLabelChars = 150;
/** Room for one related source in the context text, so three and their separators stay within Slack's limit. */
const relatedItemChars = Math.floor((slackLimits.contextText - 100) / maxRelatedSourcesInChat);

export interface AnswerRenderOptions {
  /** The question, carried by the "Ask the governance team" and "Share" buttons. */
  question: string;
  /** Adds a "Share in channel" button (for ephemeral answers). */
  shareable?: boolean;
  /** Language of the labels; default: the answer's own (the question's language). */
  locale?: Locale;
}

/** Fits a question into a button value. */
export function questionButtonValue(question: string): string {
  return truncate(question, slackLimits.buttonValue - 50);
}

export function renderAnswer(answer: AnswerDetails, options: AnswerRenderOptions): SlackMessage {
  const locale = options.locale ?? answerLocale(answer, options.question);
  const blocks: KnownBlock[] = [];
  const escapedAnswer = escapeMrkdwn(answer.answer.trim());
  const chunks = splitText(escapedAnswer, slackLimits.sectionText);
  const shown = chunks.slice(0, maxAnswerSections);
  if (chunks.length > maxAnswerSections) {
    const last = shown.length - 1;
    shown[last] = `${truncate(shown[last] ?? '', slackLimits.sectionText - 40)}\n_${t(locale, 'slack.answer.shortened')}_`;
  }
  for (const chunk of shown) blocks.push({ type: 'section', text: mrkdwnText(chunk) });

  const citations = answer.citations.slice(0, maxCitations);
  if (citations.length > 0) {
    blocks.push({ type: 'context', elements: [mrkdwnText(`*${t(locale, 'answer.sources')}*`)] });
    for (const citation of citations) {
      const link = safeLink(citation.url, citationLabel(citation));
      const source = citation.url === undefined ? ` _(${escapeMrkdwn(citation.source)})_` : '';
      const viewer = citation.documentUrl !== undefined && citation.documentUrl !== citation.url ? ` · ${safeLink(citation.documentUrl, 'read in Shishin')}` : '';
      const quote = shortQuote(citation.quote, 200);
      const lines = [`[${citation.n}] ${link}${source}${viewer}`];
      if (quote !== '') lines.push(blockQuote(escapeMrkdwn(quote)));
      blocks.push({ type: 'context', elements: [mrkdwnText(truncate(lines.join('\n'), slackLimits.contextText))] });
    }
    const more = answer.citations.length - citations.length;
    if (more > 0) blocks.push({ type: 'context', elements: [mrkdwnText(`_${t(locale, 'answer.moreSources', { count: more })}_`)] });
  }
  const related = relatedContext(answer.related, locale);
  if (related !== undefined) blocks.push(related);

  const notes = answerNotes(answer, locale).map((note) => escapeMrkdwn(note));
  blocks.push({ type: 'context', elements: [mrkdwnText(`:robot_face: ${truncate(notes.join(' '), slackLimits.contextText - 20)}`)] });

  const questionValue = questionButtonValue(options.question);
  const buttons: Button[] = [
    { type: 'button', action_id: answerActionIds.feedbackUp, text: plainText(t(locale, 'slack.answer.helpful'), slackLimits.buttonText), value: answer.answerId },
    { type: 'button', action_id: answerActionIds.feedbackDown, text: plainText(t(locale, 'slack.answer.notHelpful'), slackLimits.buttonText), value: answer.answerId },
    { type: 'button', action_id: answerActionIds.escalate, text: plainText(t(locale, 'slack.answer.askGovernance'), slackLimits.buttonText), value: questionValue },
  ];
  if (options.shareable === true) {
    buttons.unshift({ type: 'button', action_id: answerActionIds.share, text: plainText(t(locale, 'slack.answer.share'), slackLimits.buttonText), style: 'primary', value: questionValue });
  }
  blocks.push({ type: 'actions', block_id: `answer:${answer.answerId}`.slice(0, 255), elements: buttons });

  return { text: answerFallbackText(answer, locale), blocks: clampBlocks(blocks, slackLimits.messageBlocks, 2, locale) };
}

/** One related source: a link for an http(s) URL (a plain label when the link would not fit), else the label. */
function relatedItem(citation: Citation): string {
  const label = truncate(citationLabel(citation), relatedLabelChars);
  const linked = safeLink(citation.url, label);
  return linked.length <= relatedItemChars ? linked : safeLink(undefined, label);
}

/** "Related sources: <url|Title — Section> · …" in one context element, or nothing when there are none. */
function relatedContext(related: readonly Citation[], locale: Locale): KnownBlock | undefined {
  const shown = related.slice(0, maxRelatedSourcesInChat);
  if (shown.length === 0) return undefined;
  // Each item is at most relatedItemChars, so the text stays within slackLimits.contextText uncut.
  return { type: 'context', elements: [mrkdwnText(`*${t(locale, 'slack.answer.relatedHeading')}* ${shown.map(relatedItem).join(' · ')}`)] };
}

/** Notification/fallback text: the escaped answer and the source titles, cut to a safe size. */
export function answerFallbackText(answer: AnswerDetails, locale: Locale = answer.locale ?? 'en'): string {
  const sources = answer.citations.map((citation) => `[${citation.n}] ${citationLabel(citation)}`).join('; ');
  const text = sources === '' ? answer.answer.trim() : t(locale, 'slack.answer.fallbackSources', { answer: answer.answer.trim(), sources });
  return truncate(escapeMrkdwn(text), slackLimits.fallbackText);
}

/** One friendly line for a failure, never a stack trace. */
export function renderFailure(line: string): SlackMessage {
  return { text: line, blocks: [{ type: 'section', text: mrkdwnText(`:warning: ${escapeMrkdwn(line)}`) }] };
}
