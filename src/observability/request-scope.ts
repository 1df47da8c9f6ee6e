// The request a piece of work belongs to, carried through async calls (AsyncLocalStorage), so every
// log line written while handling a request — in the web door or deep in core — carries its id.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestScope {
  requestId: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

/** pino mixin: adds `requestId` to log lines written inside a request scope. */
export function requestIdMixin(): Record<string, string> {
  const scope = requestScope.getStore();
  return scope === undefined ? {} : { requestId: scope.requestId };
}
