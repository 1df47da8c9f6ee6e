// Renders an answer as a Teams message. The text keeps its `[n]` markers and carries Teams' citation
// entity (schema.org Message with Claim citations and the AI-generated label), so Teams shows each
// marker as a citation with the source's name, abstract and link; `feedbackLoopEnabled` turns on
// the thumbs-up/down feedback. Teams renders citations in chats and channels on desktop, web and
// mobile, so on the `msteams` channel the sources are not repeated; every other channel (Bot
// Framework Emulator, Web Chat, Direct Line …) ignores the entity and gets an Adaptive Card listing
// the sources instead. Related sources (passages the answer does not cite) are not citations, so the
// card lists up to three of them on every channel. Either way the card offers "Ask the governance team".
import type { Activity, Entity } from 'botbuilder';
import type { AnswerDetails, Citation } from '../../core/answer/answer.js';
import type { Locale } from '../../core/i18n/locale.js';
import { t } from '../../core/i18n/translate.js';
import { answerLocale, answerNotes, citationLabel, maxRelatedSourcesInChat, notCoveredNoteIn } from '../../core/presentation/answer-presentation.js';
import { adaptiveCard, cardAttachment, submitAction, textBlock, type CardElement } from './adaptive-card.js';
import { escapeAnswerText, escapeTeamsText, truncateText } from './teams-text.js';

/** Teams' citation limits: name ≤ 80 characters, abstract ≤ 160, at most 3 keywords of ≤ 28. */
const citationNameLimit = 80;
const citationAbstractLimit = 160;

export interface TeamsCitationClaim {
  '@type': 'Claim';
  position: number;
  appearance: {
    '@type': 'DigitalDocument';
    name: string;
    abstract: string;
    url?: string;
  };
}

/** The URL when it is an absolute http(s) URL, else undefined: corpus URLs such as `javascript:` never become links. */
export function httpUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Teams' citation entity for the answer's citations (a link only for http(s) URLs). */
export function citationEntity(citations: Citation[]): Entity {
  const claims: TeamsCitationClaim[] = citations.map((citation) => {
    const url = httpUrl(citation.url);
    return {
      '@type': 'Claim',
      position: citation.n,
      appearance: {
        '@type': 'DigitalDocument',
        name: truncateText(citationLabel(citation), citationNameLimit),
        abstract: truncateText(citation.quote, citationAbstractLimit),
        ...(url !== undefined ? { url } : {}),
      },
    };
  });
  return {
    type: 'https://schema.org/Message',
    '@type': 'Message',
    '@context': 'https://schema.org',
    '@id': '',
    additionalType: ['AIGeneratedContent'],
    citation: claims,
  };
}

/** A related source's escaped "Title — Section", linked to its original or the document viewer. */
function relatedName(citation: Citation, labelLimit: number): string {
  const label = escapeTeamsText(truncateText(citationLabel(citation), labelLimit));
  const url = httpUrl(citation.url);
  return url !== undefined ? markdownLink(label, url) : label;
}

/** A source's escaped "Title — Section", as a markdown link when its URL is http(s), and a link to the viewer. */
function sourceName(citation: Citation, locale: Locale, labelLimit?: number): string {
  const text = citationLabel(citation);
  const label = escapeTeamsText(labelLimit === undefined ? text : truncateText(text, labelLimit));
  // Corpus URLs come from reviewed front matter; only http(s) links are made clickable.
  const url = httpUrl(citation.url);
  const linked = url !== undefined ? markdownLink(label, url) : label;
  const viewer = httpUrl(citation.documentUrl);
  return viewer !== undefined && viewer !== url
    ? t(locale, 'common.withViewerLink', { source: linked, label: t(locale, 'common.readInShishin'), url: markdownUrl(viewer) })
    : linked;
}

/** A URL for a markdown link, its parentheses encoded so the link cannot end early. */
export function markdownUrl(url: string): string {
  return encodeURI(url).replace(/\(/g, '%28').replace(/\)/g, '%29');
}

/** `[label](url)`. */
function markdownLink(label: string, url: string): string {
  return `[${label}](${markdownUrl(url)})`;
}

function sourceElements(citations: Citation[], locale: Locale): CardElement[] {
  if (citations.length === 0) return [];
  const elements: CardElement[] = [textBlock(t(locale, 'answer.sources'), { weight: 'Bolder' })];
  for (const citation of citations) {
    elements.push(textBlock(`[${citation.n}] ${sourceName(citation, locale)}`, { spacing: 'Small' }));
    elements.push(
      textBlock(t(locale, 'teams.answer.quote', { quote: escapeTeamsText(truncateText(citation.quote, 200)) }), { isSubtle: true, size: 'Small', spacing: 'None' }),
    );
  }
  return elements;
}

/** A compact "Related sources" section: a small heading and one small line per source, at most three. */
function relatedElements(related: Citation[], locale: Locale): CardElement[] {
  const shown = related.slice(0, maxRelatedSourcesInChat);
  if (shown.length === 0) return [];
  return [
    textBlock(t(locale, 'answer.relatedSources'), { weight: 'Bolder', isSubtle: true, size: 'Small' }),
    ...shown.map((citation) => textBlock(relatedName(citation, 150), { isSubtle: true, size: 'Small', spacing: 'None' })),
  ];
}

export interface AnswerActivityOptions {
  /** The incoming activity's channel id; `msteams` gets native citations only. */
  channelId: string;
  /** The question, carried by the "Ask the governance team" button. */
  question: string;
  /** Language of the labels; default: the answer's own (the question's language). */
  locale?: Locale;
}

/** The reply activity for an answer. */
export function answerActivity(answer: AnswerDetails, options: AnswerActivityOptions): Partial<Activity> {
  const locale = options.locale ?? answerLocale(answer, options.question);
  // An ungrounded answer already says the corpus does not cover the question; don't say it twice.
  const notes = answerNotes(answer, locale)
    .filter((note) => answer.grounded || note !== notCoveredNoteIn(locale))
    .map((note) => `_${escapeTeamsText(note)}_`);
  const text = [escapeAnswerText(answer.answer.trim()), ...notes].join('\n\n');
  const withCitations = answer.grounded && answer.citations.length > 0;
  const nativeCitations = options.channelId === 'msteams';
  const cardBody: CardElement[] = [
    ...(nativeCitations || !withCitations ? [] : sourceElements(answer.citations, locale)),
    ...relatedElements(answer.related, locale),
  ];
  const escalate = submitAction(t(locale, 'teams.answer.askGovernance'), {
    action: 'ask.escalate',
    question: truncateText(options.question, 2000),
    answerId: answer.answerId,
  });
  if (cardBody.length === 0) cardBody.push(textBlock(t(locale, 'teams.answer.needPerson'), { isSubtle: true, size: 'Small' }));
  return {
    type: 'message',
    locale: locale === 'ja' ? 'ja-JP' : 'en-US',
    textFormat: 'markdown',
    text,
    entities: withCitations ? [citationEntity(answer.citations)] : [],
    channelData: { feedbackLoopEnabled: true },
    attachments: [cardAttachment(adaptiveCard(cardBody, [escalate]))],
  };
}
