// Small typed helpers for the Adaptive Card JSON the Teams door sends (schema version 1.5), and the
// attachment wrapper Bot Framework expects. Text passed to these helpers must already be escaped.
import type { Attachment } from 'botbuilder';

/** One card element (TextBlock, Input.Text, Container, …): plain JSON as the card schema defines it. */
export type CardElement = { type: string } & Record<string, unknown>;

/** One card action (Action.Submit, Action.OpenUrl, …). */
export type CardAction = { type: string; title: string } & Record<string, unknown>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardAction[];
  /** Teams: let the card use the full message width. */
  msteams?: { width: 'Full' };
}

export const adaptiveCardContentType = 'application/vnd.microsoft.card.adaptive';

export function adaptiveCard(body: CardElement[], actions: CardAction[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
  };
}

export function cardAttachment(card: AdaptiveCard): Attachment {
  return { contentType: adaptiveCardContentType, content: card };
}

export function textBlock(text: string, options: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...options };
}

export function heading(text: string): CardElement {
  return textBlock(text, { size: 'Medium', weight: 'Bolder', style: 'heading' });
}

export function factSet(facts: Array<{ title: string; value: string }>): CardElement {
  return { type: 'FactSet', facts };
}

export function container(items: CardElement[], options: Record<string, unknown> = {}): CardElement {
  return { type: 'Container', items, ...options };
}

export function submitAction(title: string, data: Record<string, unknown>, options: Record<string, unknown> = {}): CardAction {
  return { type: 'Action.Submit', title, data, ...options };
}
