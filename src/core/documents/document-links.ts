// Where a citation can be read: every corpus document has a page in the console's document viewer,
// with an anchor per section; documents with an http(s) original link there too. Stable paths:
// `/console/documents/<source>#<anchor>` (the source name URL-encoded, the anchor from the section).

/** True for http: and https: URLs (the only originals any door links to). */
export function isHttpUrl(url: string | undefined): url is string {
  if (url === undefined) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The anchor of a section in the document viewer: `s-` and the heading path's letters and digits in
 * lower case, other characters as single dashes (Japanese headings keep their characters).
 */
export function sectionAnchor(section: string): string {
  const slug = section
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return `s-${slug === '' ? 'top' : slug.slice(0, 120)}`;
}

/** The viewer path of a document, at a section when one is given (relative to PUBLIC_URL). */
export function documentPath(source: string, section?: string): string {
  const base = `/console/documents/${encodeURIComponent(source)}`;
  return section === undefined || section === '' ? base : `${base}#${sectionAnchor(section)}`;
}

/** A citation's links: the viewer (always) and the original (only when it is http(s)). */
export interface CitationLinks {
  /** The document viewer at the cited section; absolute when `publicUrl` is given. */
  document: string;
  original?: string;
}

export function citationLinks(citation: { source: string; section: string; url?: string | undefined }, publicUrl?: string): CitationLinks {
  const path = documentPath(citation.source, citation.section);
  const links: CitationLinks = { document: publicUrl === undefined ? path : `${publicUrl.replace(/\/+$/, '')}${path}` };
  if (isHttpUrl(citation.url)) links.original = citation.url;
  return links;
}

/** The `url` a citation carries in JSON: the http(s) original, else the viewer path. */
export function citationUrl(source: string, section: string, original: string | undefined): string {
  return isHttpUrl(original) ? original : documentPath(source, section);
}

interface Linkable {
  source: string;
  section: string;
  url?: string;
  documentUrl?: string;
}

/**
 * A citation with both links set for a door: `url` the http(s) original or else the viewer, and
 * `documentUrl` the viewer — absolute under `publicUrl` when given (chat doors), else paths. Works
 * on citations stored before the viewer existed (their non-http `url`s are replaced).
 */
export function withDocumentLinks<T extends Linkable>(citation: T, publicUrl?: string): T {
  const links = citationLinks(citation, publicUrl);
  return { ...citation, url: links.original ?? links.document, documentUrl: links.document };
}

