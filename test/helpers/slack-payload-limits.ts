// Checks a Block Kit message, modal or Home view against Slack's documented limits (characters are
// counted as Slack counts them: UTF-16 code units, which is what JavaScript's length gives), so
// Japanese renderings are held to the same limits as English ones.

type Node = Record<string, unknown>;

const limits = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  options: 100,
  viewTitle: 24,
  viewButton: 24,
  inputLabel: 2000,
  hint: 2000,
  placeholder: 150,
  identifier: 255,
  privateMetadata: 3000,
} as const;

function textOf(value: unknown): string {
  return typeof value === 'object' && value !== null && typeof (value as Node).text === 'string' ? ((value as Node).text as string) : '';
}

/** Every limit the payload breaks, as readable lines; empty when it is valid. */
export function slackPayloadProblems(payload: { text?: unknown; blocks?: unknown; type?: unknown; title?: unknown; submit?: unknown; close?: unknown; private_metadata?: unknown }): string[] {
  const problems: string[] = [];
  const check = (what: string, length: number, limit: number) => {
    if (length > limit) problems.push(`${what}: ${length} > ${limit}`);
  };
  const isView = payload.type === 'modal' || payload.type === 'home';
  const blocks = (Array.isArray(payload.blocks) ? payload.blocks : []) as Node[];
  check('blocks', blocks.length, isView ? limits.viewBlocks : limits.messageBlocks);
  if (typeof payload.text === 'string') check('message text', payload.text.length, limits.messageText);
  if (payload.type === 'modal') {
    check('modal title', textOf(payload.title).length, limits.viewTitle);
    if (payload.submit !== undefined) check('modal submit', textOf(payload.submit).length, limits.viewButton);
    if (payload.close !== undefined) check('modal close', textOf(payload.close).length, limits.viewButton);
    if (typeof payload.private_metadata === 'string') check('private_metadata', payload.private_metadata.length, limits.privateMetadata);
  }
  const element = (node: Node, where: string) => {
    if (typeof node.action_id === 'string') check(`${where} action_id`, node.action_id.length, limits.identifier);
    if (node.type === 'button') {
      check(`${where} button text`, textOf(node.text).length, limits.buttonText);
      if (typeof node.value === 'string') check(`${where} button value`, node.value.length, limits.buttonValue);
    }
    if (node.placeholder !== undefined) check(`${where} placeholder`, textOf(node.placeholder).length, limits.placeholder);
    for (const key of ['options', 'initial_options']) {
      const options = Array.isArray(node[key]) ? (node[key] as Node[]) : [];
      if (key === 'options') check(`${where} options`, options.length, limits.options);
      for (const option of options) check(`${where} option text`, textOf(option.text).length, limits.optionText);
    }
    if (node.initial_option !== undefined) check(`${where} initial option text`, textOf((node.initial_option as Node).text).length, limits.optionText);
  };
  blocks.forEach((block, index) => {
    const where = `block ${index} (${String(block.type)})`;
    if (typeof block.block_id === 'string') check(`${where} block_id`, block.block_id.length, limits.identifier);
    switch (block.type) {
      case 'header':
        check(`${where} text`, textOf(block.text).length, limits.headerText);
        break;
      case 'section': {
        if (block.text !== undefined) check(`${where} text`, textOf(block.text).length, limits.sectionText);
        const fields = Array.isArray(block.fields) ? (block.fields as Node[]) : [];
        check(`${where} fields`, fields.length, limits.sectionFields);
        for (const field of fields) check(`${where} field`, textOf(field).length, limits.fieldText);
        if (block.accessory !== undefined) element(block.accessory as Node, where);
        if (block.text === undefined && fields.length === 0) problems.push(`${where}: neither text nor fields`);
        break;
      }
      case 'context': {
        const elements = Array.isArray(block.elements) ? (block.elements as Node[]) : [];
        check(`${where} elements`, elements.length, limits.contextElements);
        for (const item of elements) check(`${where} element text`, textOf(item).length, limits.contextText);
        break;
      }
      case 'actions':
        for (const item of (Array.isArray(block.elements) ? block.elements : []) as Node[]) element(item, where);
        break;
      case 'input':
        check(`${where} label`, textOf(block.label).length, limits.inputLabel);
        if (block.hint !== undefined) check(`${where} hint`, textOf(block.hint).length, limits.hint);
        element(block.element as Node, where);
        break;
      default:
        break;
    }
  });
  return problems;
}
