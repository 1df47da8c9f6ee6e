// Checks an Adaptive Card (and the Teams message carrying it) the way Teams would refuse or mangle it:
// schema version, empty texts, inputs without ids, choice sets without titles, actions without titles,
// duplicate input ids, and the Bot Framework's message size limit (about 28 KB of JSON), so Japanese
// renderings (three UTF-8 bytes per character) are held to the same limits as English ones.

type Node = Record<string, unknown>;

/** The largest activity Teams accepts from a bot, in bytes of JSON. */
export const teamsMessageBytes = 28 * 1024;

export function adaptiveCardProblems(card: Node): string[] {
  const problems: string[] = [];
  if (card.type !== 'AdaptiveCard') problems.push('not an AdaptiveCard');
  if (card.version !== '1.5') problems.push(`version ${String(card.version)}`);
  const ids = new Set<string>();
  const visit = (node: unknown, where: string) => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${where}[${index}]`));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const element = node as Node;
    const type = String(element.type ?? '');
    if (type === 'TextBlock' && (typeof element.text !== 'string' || element.text.trim() === '')) problems.push(`${where}: empty TextBlock`);
    if (type.startsWith('Input.')) {
      if (typeof element.id !== 'string' || element.id === '') problems.push(`${where}: input without id`);
      else if (ids.has(element.id)) problems.push(`${where}: duplicate input id ${element.id}`);
      else ids.add(element.id);
    }
    if (type === 'Input.ChoiceSet') {
      for (const choice of (element.choices as Node[] | undefined) ?? []) {
        if (typeof choice.title !== 'string' || choice.title.trim() === '') problems.push(`${where}: choice without title`);
      }
    }
    if (type.startsWith('Action.') && (typeof element.title !== 'string' || element.title.trim() === '')) problems.push(`${where}: action without title`);
    if (type === 'FactSet') {
      for (const fact of (element.facts as Node[] | undefined) ?? []) {
        if (typeof fact.title !== 'string' || typeof fact.value !== 'string' || fact.value === '') problems.push(`${where}: incomplete fact`);
      }
    }
    for (const [key, child] of Object.entries(element)) if (typeof child === 'object') visit(child, `${where}.${key}`);
  };
  visit(card.body, 'body');
  visit(card.actions, 'actions');
  return problems;
}

/** Problems of a whole Teams message: its size, and every card it carries. */
export function teamsMessageProblems(activity: Node): string[] {
  const problems: string[] = [];
  const bytes = Buffer.byteLength(JSON.stringify(activity), 'utf8');
  if (bytes > teamsMessageBytes) problems.push(`message is ${bytes} bytes (> ${teamsMessageBytes})`);
  for (const attachment of (activity.attachments as Node[] | undefined) ?? []) {
    if (attachment.contentType === 'application/vnd.microsoft.card.adaptive') problems.push(...adaptiveCardProblems(attachment.content as Node));
  }
  return problems;
}
