// The Ask page: a question box and, once asked, the answer with numbered markers linking to the
// cited passages, the related sources the answer does not cite, the "not covered" pointer, and
// thumbs up/down feedback. The page speaks the reader's language; the answer and its note are in the
// language of the question (marked with `lang`), as in the chat doors.
import type { AnswerDetails, Citation } from '../../../core/answer/answer.js';
import { answerLocale, citationLabel } from '../../../core/presentation/answer-presentation.js';
import { citationLinks } from '../../../core/documents/document-links.js';
import type { Locale } from '../../../core/i18n/locale.js';
import { t } from '../../../core/i18n/translate.js';
import { escapeHtml, html, trusted, type SafeHtml } from '../html.js';
import { tHtml } from '../translate-html.js';

export interface AskPageOptions {
  question?: string;
  answer?: AnswerDetails;
  error?: string;
  maxQuestionChars: number;
  csrfToken: string;
  locale: Locale;
}

/** Escapes the answer text and turns each `[n]` with a matching citation into a link to it. */
export function linkCitationMarkers(text: string, citations: Citation[], locale: Locale = 'en'): SafeHtml {
  const known = new Set(citations.map((citation) => citation.n));
  const escaped = escapeHtml(text).replace(/\[(\d{1,3})\]/g, (marker, digits: string) =>
    known.has(Number(digits)) ? `<a class="marker" href="#source-${digits}" aria-label="${escapeHtml(t(locale, 'console.ask.sourceMarker', { n: digits }))}">[${digits}]</a>` : marker,
  );
  const paragraphs = escaped.split(/\n{2,}/).map((paragraph) => `<p>${paragraph.replace(/\n/g, '<br>')}</p>`);
  return trusted(paragraphs.join('\n'));
}

/**
 * "Read in context" (the document viewer at the section) and, for http(s) originals, "Read the
 * original"; each link also names the document for screen readers (visually hidden).
 */
export function citationLinkRow(citation: { title?: string; source: string; section: string; url?: string }, locale: Locale = 'en'): SafeHtml {
  const links = citationLinks(citation);
  const about = html`<span class="visually-hidden">${t(locale, 'console.ask.aboutDocument', { name: citation.title ?? citation.source })}</span>`;
  return html`<p class="citation-links"><a href="${links.document}">${tHtml(locale, 'console.ask.readInContext', { about })}</a>${
    links.original === undefined
      ? ''
      : html` · <a href="${links.original}" rel="noopener noreferrer" target="_blank">${tHtml(locale, 'console.ask.readOriginal', { about })}</a>`
  }</p>`;
}

function citationItem(citation: Citation, locale: Locale): SafeHtml {
  return html`<li id="source-${citation.n}" value="${citation.n}">
    <p class="citation-title"><strong>${citation.title}</strong>${citation.section === '' ? '' : html` — ${citation.section}`}</p>
    <blockquote>${citation.quote}</blockquote>
    ${citationLinkRow(citation, locale)}
  </li>`;
}

/** A related source: its label linked to the original (http(s) only) or else the document viewer; no quote (it is not cited). */
function relatedItem(citation: Citation): SafeHtml {
  const label = citationLabel(citation);
  const links = citationLinks(citation);
  return html`<li id="related-${citation.n}">${
    links.original === undefined ? html`<a href="${links.document}">${label}</a>` : html`<a href="${links.original}" rel="noopener noreferrer" target="_blank">${label}</a>`
  }</li>`;
}

function feedbackForm(answerId: string, csrfToken: string, locale: Locale): SafeHtml {
  // console.js says thanks in place with the texts of the data- attributes.
  return html`<form method="post" action="/console/feedback" class="feedback" data-enhance="feedback" data-thanks="${t(locale, 'console.ask.feedbackThanks')}" data-failed="${t(locale, 'console.ask.feedbackFailed')}">
    <input type="hidden" name="_csrf" value="${csrfToken}">
    <input type="hidden" name="answerId" value="${answerId}">
    <fieldset>
      <legend>${t(locale, 'console.ask.feedbackLegend')}</legend>
      <button type="submit" name="rating" value="up"><span aria-hidden="true">👍</span> ${t(locale, 'common.yes')}</button>
      <button type="submit" name="rating" value="down"><span aria-hidden="true">👎</span> ${t(locale, 'common.no')}</button>
    </fieldset>
  </form>`;
}

/** "Ask the governance team": sends the question to the review channel and queue, once. */
function escalationForm(question: string, answerId: string, csrfToken: string, locale: Locale): SafeHtml {
  const link = html`<a href="/console/intakes/new">${t(locale, 'console.ask.escalationIntakeLink')}</a>`;
  return html`<form method="post" action="/console/escalations" class="not-covered">
    <input type="hidden" name="_csrf" value="${csrfToken}">
    <input type="hidden" name="answerId" value="${answerId}">
    <input type="hidden" name="question" value="${question}">
    <p>${t(locale, 'console.ask.escalationIntro')}
      ${tHtml(locale, 'console.ask.escalationIntake', { link })}</p>
    <button type="submit" class="primary">${t(locale, 'console.ask.escalate')}</button>
  </form>`;
}

function answerSection(answer: AnswerDetails, csrfToken: string, question: string, locale: Locale): SafeHtml {
  const notCovered = !answer.grounded || answer.mode === 'not_covered';
  const language = answerLocale(answer, question);
  return html`<section class="answer" aria-labelledby="answer-heading" data-mode="${answer.mode}">
    <h2 id="answer-heading">${t(locale, 'console.ask.answerHeading')}</h2>
    ${answer.note === undefined ? '' : html`<p class="note" role="note" lang="${language}">${answer.note}</p>`}
    <div class="answer-text" lang="${language}">${linkCitationMarkers(answer.answer, answer.citations, locale)}</div>
    ${notCovered ? escalationForm(question, answer.answerId, csrfToken, locale) : ''}
    ${answer.citations.length === 0
      ? ''
      : html`<h3 id="sources-heading">${t(locale, 'answer.sources')}</h3><ol class="citations" aria-labelledby="sources-heading">${answer.citations.map((citation) => citationItem(citation, locale))}</ol>`}
    ${answer.related.length === 0
      ? ''
      : html`<h3 id="related-heading">${t(locale, 'answer.relatedSources')}</h3><ul class="related-sources" aria-labelledby="related-heading">${answer.related.map(relatedItem)}</ul>`}
    ${feedbackForm(answer.answerId, csrfToken, locale)}
  </section>`;
}

export function askPage(options: AskPageOptions): SafeHtml {
  const { locale } = options;
  return html`<h1>${t(locale, 'console.ask.heading')}</h1>
  <p class="lead">${t(locale, 'console.ask.lead')}</p>
  <form method="get" action="/console/ask" class="ask-form" role="search">
    <label for="question">${t(locale, 'console.ask.questionLabel')}</label>
    <p id="question-help" class="help">${t(locale, 'console.ask.questionHelp')}</p>
    <textarea id="question" name="q" rows="3" maxlength="${options.maxQuestionChars}" required data-submit-on-enter
      aria-describedby="question-help${options.error === undefined ? '' : ' question-error'}"${options.error === undefined ? '' : html` aria-invalid="true"`}>${options.question ?? ''}</textarea>
    ${options.error === undefined ? '' : html`<p id="question-error" class="field-error">${options.error}</p>`}
    <button type="submit" data-busy-label="${t(locale, 'console.ask.asking')}">${t(locale, 'console.ask.submit')}</button>
  </form>
  ${options.answer === undefined ? '' : answerSection(options.answer, options.csrfToken, options.question ?? '', locale)}`;
}
