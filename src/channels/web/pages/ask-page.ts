// The Ask page: a question box and, once asked, the answer with numbered markers linking to the
// cited passages, the related sources the answer does not cite, the "not covered" pointer, and
// thumbs up/down feedback.
import type { AnswerDetails, Citation } from '../../../core/answer/answer.js';
import { citationLabel, relatedSourcesHeading } from '../../../core/presentation/answer-presentation.js';
import { citationLinks } from '../../../core/documents/document-links.js';
import { escapeHtml, html, trusted, type SafeHtml } from '../html.js';

export interface AskPageOptions {
  question?: string;
  answer?: AnswerDetails;
  error?: string;
  maxQuestionChars: number;
  csrfToken: string;
}

/** Escapes the answer text and turns each `[n]` with a matching citation into a link to it. */
export function linkCitationMarkers(text: string, citations: Citation[]): SafeHtml {
  const known = new Set(citations.map((citation) => citation.n));
  const escaped = escapeHtml(text).replace(/\[(\d{1,3})\]/g, (marker, digits: string) =>
    known.has(Number(digits)) ? `<a class="marker" href="#source-${digits}" aria-label="source ${digits}">[${digits}]</a>` : marker,
  );
  const paragraphs = escaped.split(/\n{2,}/).map((paragraph) => `<p>${paragraph.replace(/\n/g, '<br>')}</p>`);
  return trusted(paragraphs.join('\n'));
}

/** "Read in context" (the document viewer at the section) and, for http(s) originals, "Read the original". */
export function citationLinkRow(citation: { title?: string; source: string; section: string; url?: string }): SafeHtml {
  const links = citationLinks(citation);
  const name = citation.title ?? citation.source;
  return html`<p class="citation-links"><a href="${links.document}">Read in context<span class="visually-hidden"> of ${name}</span></a>${
    links.original === undefined
      ? ''
      : html` · <a href="${links.original}" rel="noopener noreferrer" target="_blank">Read the original<span class="visually-hidden"> of ${name}</span></a>`
  }</p>`;
}

function citationItem(citation: Citation): SafeHtml {
  return html`<li id="source-${citation.n}" value="${citation.n}">
    <p class="citation-title"><strong>${citation.title}</strong>${citation.section === '' ? '' : html` — ${citation.section}`}</p>
    <blockquote>${citation.quote}</blockquote>
    ${citationLinkRow(citation)}
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

function feedbackForm(answerId: string, csrfToken: string): SafeHtml {
  return html`<form method="post" action="/console/feedback" class="feedback" data-enhance="feedback">
    <input type="hidden" name="_csrf" value="${csrfToken}">
    <input type="hidden" name="answerId" value="${answerId}">
    <fieldset>
      <legend>Was this answer useful?</legend>
      <button type="submit" name="rating" value="up"><span aria-hidden="true">👍</span> Yes</button>
      <button type="submit" name="rating" value="down"><span aria-hidden="true">👎</span> No</button>
    </fieldset>
  </form>`;
}

/** "Ask the governance team": sends the question to the review channel and queue, once. */
function escalationForm(question: string, answerId: string, csrfToken: string): SafeHtml {
  return html`<form method="post" action="/console/escalations" class="not-covered">
    <input type="hidden" name="_csrf" value="${csrfToken}">
    <input type="hidden" name="answerId" value="${answerId}">
    <input type="hidden" name="question" value="${question}">
    <p>A person on the governance team can answer this. Your question and your name go to their review channel.
      Planning an AI use case? <a href="/console/intakes/new">Submit an intake</a> instead.</p>
    <button type="submit" class="primary">Ask the governance team</button>
  </form>`;
}

function answerSection(answer: AnswerDetails, csrfToken: string, question: string): SafeHtml {
  const notCovered = !answer.grounded || answer.mode === 'not_covered';
  return html`<section class="answer" aria-labelledby="answer-heading" data-mode="${answer.mode}">
    <h2 id="answer-heading">Answer</h2>
    ${answer.note === undefined ? '' : html`<p class="note" role="note">${answer.note}</p>`}
    <div class="answer-text">${linkCitationMarkers(answer.answer, answer.citations)}</div>
    ${notCovered ? escalationForm(question, answer.answerId, csrfToken) : ''}
    ${answer.citations.length === 0
      ? ''
      : html`<h3 id="sources-heading">Sources</h3><ol class="citations" aria-labelledby="sources-heading">${answer.citations.map(citationItem)}</ol>`}
    ${answer.related.length === 0
      ? ''
      : html`<h3 id="related-heading">${relatedSourcesHeading}</h3><ul class="related-sources" aria-labelledby="related-heading">${answer.related.map(relatedItem)}</ul>`}
    ${feedbackForm(answer.answerId, csrfToken)}
  </section>`;
}

export function askPage(options: AskPageOptions): SafeHtml {
  return html`<h1>Ask about AI governance</h1>
  <p class="lead">Ask a question about the EU AI Act, Japan's AI guidelines, ISO/IEC 42001, NIST AI RMF or internal policy. Every answer cites the passages it rests on.</p>
  <form method="get" action="/console/ask" class="ask-form" role="search">
    <label for="question">Your question</label>
    <p id="question-help" class="help">Press Enter to ask; Shift+Enter starts a new line.</p>
    <textarea id="question" name="q" rows="3" maxlength="${options.maxQuestionChars}" required data-submit-on-enter
      aria-describedby="question-help${options.error === undefined ? '' : ' question-error'}"${options.error === undefined ? '' : html` aria-invalid="true"`}>${options.question ?? ''}</textarea>
    ${options.error === undefined ? '' : html`<p id="question-error" class="field-error">${options.error}</p>`}
    <button type="submit">Ask</button>
  </form>
  ${options.answer === undefined ? '' : answerSection(options.answer, options.csrfToken, options.question ?? '')}`;
}
