// Who is acting: a person identified by the door they came through. Authorisation compares
// `channel:id` with GOVERNANCE_MEMBERS.

export type ActorChannel = 'slack' | 'teams' | 'web' | 'cli';

export interface Actor {
  channel: ActorChannel;
  /** The channel's stable user id: Slack user id, Teams AAD object id, web user name. */
  id: string;
  /** Display name, when known, for messages and the register. */
  displayName?: string;
}

export function actorKey(actor: Actor): string {
  return `${actor.channel}:${actor.id}`;
}

export function parseActorKey(key: string): Actor | undefined {
  const match = /^(slack|teams|web|cli):(.+)$/.exec(key);
  if (match === null) return undefined;
  return { channel: match[1] as ActorChannel, id: match[2] as string };
}
