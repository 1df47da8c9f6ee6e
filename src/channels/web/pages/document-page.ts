// The document viewer: a corpus document with a contents list and an anchor per section (citation
// links land on the cited section, highlighted), and the list of every indexed document.
import type { CorpusDocument, CorpusDocumentSummary } from '../../../core/documents/corpus-documents.js';
import { documentPath } from '../../../core/documents/document-links.js';
import { html, type SafeHtml } from '../html.js';

function originalLink(url: string | undefined): SafeHtml | string {
  if (url === undefined) return html`<p class="help">This document has no public original; this page is the reference copy.</p>`;
  return html`<p><a href="${url}" rel="noopener noreferrer" target="_blank">Read the original</a> <span class="help">(${new URL(url).host})</span></p>`;
}

export function documentPage(document: CorpusDocument): SafeHtml {
  const headed = document.sections.filter((section) => section.headings.length > 0);
  return html`<article class="document" lang="${document.language ?? 'en'}">
    <p class="breadcrumb"><a href="/console/documents">Documents</a></p>
    <h1>${document.title}</h1>
    ${originalLink(document.originalUrl)}
    ${document.readFrom === 'passages' ? html`<p class="note" role="note">Shown from the indexed passages: the original file is not available to this service.</p>` : ''}
    ${headed.length < 2
      ? ''
      : html`<nav class="toc" aria-labelledby="toc-heading"><h2 id="toc-heading">Contents</h2><ol>${headed.map(
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
        ${section.page === undefined ? '' : html`<p class="help">Page ${section.page}</p>`}
        ${section.paragraphs.map((paragraph) => html`<p>${paragraph}</p>`)}
      </section>`;
    })}
  </article>`;
}

export function documentListPage(documents: CorpusDocumentSummary[]): SafeHtml {
  return html`<h1>Governance documents</h1>
  <p class="lead">Every document Shishin answers from. Citations link to the section they quote.</p>
  ${documents.length === 0
    ? html`<p>The corpus is empty.</p>`
    : html`<ul class="document-list">${documents.map(
        (document) => html`<li><a href="${documentPath(document.id)}">${document.title}</a> <span class="help">${document.id}${document.originalUrl === undefined ? ' · internal' : ''}</span></li>`,
      )}</ul>`}`;
}
