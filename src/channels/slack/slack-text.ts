// Reads Slack message text as plain text for the answer service: removes the bot's mention and
// turns Slack markup (<@U…>, <#C…|name>, <url|label>, &amp;) back into what the person typed.

export function slackTextToPlain(text: string, botUserId?: string): string {
  let plain = text;
  if (botUserId !== undefined) plain = plain.split(`<@${botUserId}>`).join(' ');
  plain = plain
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g, (_match, id: string, name?: string) => `@${name ?? id}`)
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g, (_match, id: string, name?: string) => `#${name ?? id}`)
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_match, name?: string) => name ?? '@group')
    .replace(/<!(channel|here|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return plain.replace(/\s+/g, ' ').trim();
}
