// A tiny HTML templating helper: the `html` tagged template escapes every interpolated value unless it
// is already SafeHtml, so pages are built from plain functions without a template engine.

/** A fragment of markup that is already safe to send (escaped or trusted). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const replacements: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for use in element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (character) => replacements[character] ?? character);
}

/** Values that may appear in a template: nothing, text, numbers, safe fragments, or lists of them. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((item: HtmlValue) => render(item)).join('');
  return escapeHtml(String(value));
}

/** Builds markup; every interpolation is escaped unless it is SafeHtml (or a list of SafeHtml). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let output = strings[0] ?? '';
  values.forEach((value, index) => {
    output += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(output);
}

/** Marks a string the caller has produced safely (e.g. escaped text with inserted links) as markup. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * The URL to put in an `href`, or undefined when it must not become a link: only absolute http(s)
 * URLs and paths on this site (`/console/…`, not `//host`) pass, so a document can never turn a
 * `javascript:` or `data:` URL into a clickable link.
 */
export function linkableUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  if (/^\/(?![/\\])/.test(url)) return url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
