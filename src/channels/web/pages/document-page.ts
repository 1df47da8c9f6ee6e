// The document viewer: a corpus document with a contents list and an anchor per section (citation
// links land on the cited section, highlighted), and the list of every indexed document. The frame's
// words are in the reader's language; the document's own text keeps its language (`lang`).
import type { CorpusDocument, CorpusDocumentSummary } from '../../../core/documents/corpus-documents.js';
import { documentPath } from '../../../core/documents/document-links.js';
import type { Locale } from '../../../core/i18n/locale.js';
import { t } from '../../../core/i18n/translate.js';
import { html, type SafeHtml } from '../html.js';
import { tHtml } from '../translate-html.js';

function originalLink(url: string | undefined, locale: Locale): SafeHtml | string {
  if (url === undefined) return html`<p class="help" lang="${locale}">${t(locale, 'console.documents.noOriginal')}</p>`;
  return html`<p lang="${locale}"><a href="${url}" rel="noopener noreferrer" target="_blank">${tHtml(locale, 'console.ask.readOriginal', { about: '' })}</a> <span class="help">(${new URL(url).host})</span></p>`;
}

export function documentPage(document: CorpusDocument, locale: Locale = 'en'): SafeHtml {
  const headed = document.sections.filter((section) => section.headings.length > 0);
  const language = document.language ?? 'en';
  // The document keeps its language; the frame (breadcrumb, notes, contents heading, page numbers)
  // is marked with the reader's.
  return html`<article class="document" lang="${language}">
    <p class="breadcrumb" lang="${locale}"><a href="/console/documents">${t(locale, 'console.documents.title')}</a></p>
    <h1>${document.title}</h1>
    ${originalLink(document.originalUrl, locale)}
    ${document.readFrom === 'passages' ? html`<p class="note" role="note" lang="${locale}">${t(locale, 'console.documents.fromPassages')}</p>` : ''}
    ${headed.length < 2
      ? ''
      : html`<nav class="toc" aria-labelledby="toc-heading"><h2 id="toc-heading" lang="${locale}">${t(locale, 'console.documents.contents')}</h2><ol>${headed.map(
          (section) => html`<li class="toc-level-${Math.min(section.headings.length, 3)}"><a href="#${section.anchor}">${section.headings[section.headings.length - 1] ?? ''}</a></li>`,
        )}</ol></nav>`}
    ${document.sections.map((section) => {
      const heading = section.headings[section.headings.length - 1];
      const level = Math.min(section.headings.length + 1, 4);
      const headingHtml =
        heading === undefined
          ? ''
          : level === 2
            ? html`<h2>${heading}</h2>`
            : level === 3
              ? html`<h3>${heading}</h3>`
              : html`<h4>${heading}</h4>`;
      return html`<section id="${section.anchor}" class="document-section" tabindex="-1"${heading === undefined ? '' : html` aria-label="${heading}"`}>
        ${headingHtml}
        ${section.page === undefined ? '' : html`<p class="help" lang="${locale}">${t(locale, 'console.documents.page', { page: section.page })}</p>`}
        ${section.paragraphs.map((paragraph) => html`<p>${paragraph}</p>`)}
      </section>`;
    })}
  </article>`;
}

export function documentListPage(documents: CorpusDocumentSummary[], locale: Locale = 'en'): SafeHtml {
  return html`<h1>${t(locale, 'console.documents.heading')}</h1>
  <p class="lead">${t(locale, 'console.documents.lead')}</p>
  ${documents.length === 0
    ? html`<p>${t(locale, 'console.documents.empty')}</p>`
    : html`<ul class="document-list">${documents.map(
        (document) =>
          html`<li><a href="${documentPath(document.id)}"${document.language === undefined ? '' : html` lang="${document.language}"`}>${document.title}</a> <span class="help">${document.id}${
            document.originalUrl === undefined ? html` · ${t(locale, 'console.documents.internal')}` : ''
          }</span></li>`,
      )}</ul>`}`;
}
