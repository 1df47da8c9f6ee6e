// Catalogue messages as console markup (tHtml): the message and plain parameters are escaped, markup
// parameters sit where each language's word order puts them, and typed text can never pull markup in.
import { describe, expect, it } from 'vitest';
import { html } from '../../src/channels/web/html.js';
import { tHtml } from '../../src/channels/web/translate-html.js';

describe('tHtml', () => {
  it('puts markup parameters where each language puts them and escapes the rest', () => {
    const when = html`<time datetime="2026-12-03T12:15:00.000Z">21:15</time>`;
    expect(tHtml('en', 'console.detail.decidedByOn', { outcome: 'Approved', who: 'Ann <ann@example.org>', when }).value).toBe(
      'Approved by Ann &lt;ann@example.org&gt; on <time datetime="2026-12-03T12:15:00.000Z">21:15</time>',
    );
    expect(tHtml('ja', 'console.detail.decidedByOn', { outcome: '承認', who: 'web:ann', when }).value).toBe(
      '承認：<time datetime="2026-12-03T12:15:00.000Z">21:15</time>、web:annが判断',
    );
  });

  it('never turns typed text into markup, markers included', () => {
    const link = html`<a href="/x">link</a>`;
    const typed = 'A \u{E000}0\u{E001} <script>';
    const shown = tHtml('en', 'console.queue.questionLine', { question: link, who: typed, when: '' }).value;
    expect(shown).toBe('<a href="/x">link</a> — A 0 &lt;script&gt;, ');
    expect(shown.match(/<a /g)).toHaveLength(1);
  });
});
