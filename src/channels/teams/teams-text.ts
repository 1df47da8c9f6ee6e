// Escaping for text the Teams door sends. Teams renders message text as markdown with some HTML, and
// Adaptive Card TextBlocks render a markdown subset, so text that came from users or documents must
// not be able to add links, emphasis, mentions or markup of its own.

// Only characters that start emphasis, links, code, headings, strike-through or tables are escaped;
// punctuation such as `.` or `-` is left alone so ordinary sentences read normally.
const markdownCharacters = /[\\`*_[\]#|~>]/g;

/**
 * Escapes user- or document-supplied text for a Teams message or an Adaptive Card TextBlock:
 * HTML-significant characters become entities and markdown punctuation is backslash-escaped.
 */
export function escapeTeamsText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(markdownCharacters, (character) => (character === '>' ? '&gt;' : `\\${character}`));
}

/**
 * Escapes an answer's text but keeps its `[n]` citation markers intact, because Teams links those
 * markers to the citation entities attached to the message.
 */
export function escapeAnswerText(text: string): string {
  return escapeTeamsText(text).replace(/\\\[(\d{1,3})\\\]/g, '[$1]');
}

/** Cuts text to `limit` characters (ellipsis included), collapsing whitespace. */
export function truncateText(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= limit) return flat;
  return `${flat.slice(0, Math.max(0, limit - 1)).trimEnd()}…`;
}
