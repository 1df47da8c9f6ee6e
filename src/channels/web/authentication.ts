// Who is calling: resolves the acting user of a web request from a bearer token, a trusted proxy's
// identity header, or (outside production only) the development identity.
import type { Request } from 'express';
import type { Config } from '../../config.js';
import { ShishinError } from '../../errors.js';
import { parseActorKey, type Actor } from '../../core/actor.js';
import { readCookies } from './cookies.js';

/** Cookie holding the identity a developer switched to in the console (development only). */
export const developmentIdentityCookie = 'shishin_dev_identity';

/** How the identity of a request was established. */
export type AuthenticationMethod = 'token' | 'proxy' | 'development';

export interface RequestIdentity {
  actor: Actor;
  method: AuthenticationMethod;
}

export interface Authenticator {
  /** Whether requests without credentials act as the development identity. */
  readonly developmentMode: boolean;
  /** Resolves the caller; throws ShishinError('not_authenticated') when no acceptable credentials are present. */
  identify(request: Request): RequestIdentity;
}

const userNamePattern = /^[\p{L}\p{N}._@+-]{1,128}$/u;

/** Parses `web:alice` (or a bare `alice`) into a web actor; undefined when unusable. */
export function parseWebIdentity(value: string): Actor | undefined {
  const trimmed = value.trim();
  const withoutPrefix = trimmed.startsWith('web:') ? trimmed.slice(4) : trimmed;
  if (!userNamePattern.test(withoutPrefix)) return undefined;
  return { channel: 'web', id: withoutPrefix };
}

export function createAuthenticator(config: Config): Authenticator {
  const developmentMode = config.environment !== 'production';
  const proxyHeader = config.auth.trustedProxyUserHeader;
  const developmentActor = parseActorKey(config.auth.devUser) ?? parseWebIdentity(config.auth.devUser) ?? { channel: 'web', id: 'dev' };

  return {
    developmentMode,
    identify(request) {
      const authorization = request.headers.authorization;
      if (authorization !== undefined) {
        const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
        const key = match?.[1] === undefined ? undefined : config.auth.apiTokens.get(match[1]);
        const actor = key === undefined ? undefined : parseActorKey(key);
        if (actor === undefined) {
          throw new ShishinError('not_authenticated', 'The bearer token is not recognised.');
        }
        return { actor, method: 'token' };
      }
      if (proxyHeader !== undefined) {
        const value = request.headers[proxyHeader];
        const single = Array.isArray(value) ? value[0] : value;
        if (single !== undefined && single.trim() !== '') {
          const actor = parseWebIdentity(single);
          if (actor === undefined) throw new ShishinError('not_authenticated', `The ${proxyHeader} header does not hold a usable user name.`);
          return { actor, method: 'proxy' };
        }
      }
      if (!developmentMode) {
        throw new ShishinError(
          'not_authenticated',
          'Sign-in required: send "Authorization: Bearer <token>" or come through the authenticating proxy.',
        );
      }
      const switched = readCookies(request).get(developmentIdentityCookie);
      const switchedActor = switched === undefined ? undefined : parseWebIdentity(switched);
      return { actor: switchedActor ?? developmentActor, method: 'development' };
    },
  };
}
