// Safe Slack mrkdwn: escaping of user and document text, validated links, and length limits.
// Everything the Slack door builds from text it did not write itself goes through here, so a
// question or a corpus passage can never ping people (<!channel>, <@U…>) or forge links.

/** Escapes the three characters Slack treats as control characters in mrkdwn and plain text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** True for an absolute http(s) URL without characters that could break out of `<url|label>`. */
export function isSafeLinkUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:';
}

/**
 * A mrkdwn link `<url|label>` with the label escaped; when the URL is not a valid http(s) URL the
 * escaped label alone is returned, so a document can never smuggle in a `<!channel>` or a fake link.
 */
export function safeLink(url: string | undefined, label: string): string {
  const escapedLabel = escapeMrkdwn(label).replace(/\|/g, '¦');
  if (url === undefined || !isSafeLinkUrl(url)) return escapedLabel;
  // URL serialisation percent-encodes spaces, quotes and angle brackets; `|` must go too.
  const href = new URL(url).href.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E');
  return `<${href}|${escapedLabel}>`;
}

/** A user mention for a validated Slack user id; anything else is shown as escaped text. */
export function userMention(userId: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

/** A channel link for a validated Slack conversation id. */
export function channelMention(channelId: string): string {
  return /^[CGD][A-Z0-9]{2,}$/.test(channelId) ? `<#${channelId}>` : escapeMrkdwn(channelId);
}

/**
 * Shortens text to at most `limit` characters (code units), cutting at a word boundary when one is
 * near and never inside an escape entity such as `&amp;`, and ending with an ellipsis.
 */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  if (limit <= 1) return '…'.slice(0, limit);
  let cut = text.slice(0, limit - 1);
  const entityStart = cut.lastIndexOf('&');
  if (entityStart !== -1 && entityStart > cut.length - 6 && !cut.slice(entityStart).includes(';')) {
    cut = cut.slice(0, entityStart);
  }
  // Do not leave half of a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(' ');
  if (space > cut.length - 40 && space > 0) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}

/**
 * Splits long mrkdwn into chunks of at most `limit` characters, preferring paragraph, then line,
 * then word boundaries, so a long answer can span several section blocks.
 */
export function splitText(text: string, limit: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = window.lastIndexOf('\n\n');
    if (cut < limit / 2) cut = window.lastIndexOf('\n');
    if (cut < limit / 2) cut = window.lastIndexOf(' ');
    if (cut < limit / 2) cut = limit;
    const entityStart = window.lastIndexOf('&', cut);
    if (entityStart !== -1 && entityStart > cut - 6 && !window.slice(entityStart, cut).includes(';')) cut = entityStart;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) chunks.push(rest);
  return chunks;
}

/** Quotes every line of already-escaped mrkdwn as a block quote. */
export function blockQuote(escaped: string): string {
  return escaped
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}
