// Who is calling: resolves the acting user of a web request from a bearer token, a trusted proxy's
// identity header (only from TRUSTED_PROXY_ADDRESSES), or — outside production, on a loopback bind
// only — the development identity. The development identity is what makes a local start usable
// without set-up, so it is fenced in: never off loopback unless DANGEROUSLY_ALLOW_DEV_IDENTITY_OFF_LOOPBACK
// says so, never for a request addressed to a non-local host name (DNS rebinding) or relayed by a
// proxy, and the console's identity switch is honoured only for peers on this machine.
import type { Request } from 'express';
import type { Config } from '../../config.js';
import { ShishinError } from '../../errors.js';
import type { Locale } from '../../core/i18n/locale.js';
import { t } from '../../core/i18n/translate.js';
import { parseActorKey, type Actor } from '../../core/actor.js';
import { createAddressMatcher, hostNameOf, isLoopbackHost } from '../../network-address.js';
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
  /** Whether requests without credentials may act as the development identity (on this bind). */
  readonly developmentMode: boolean;
  /**
   * Resolves the caller; throws ShishinError('not_authenticated') when no acceptable credentials are
   * present, worded in `locale` (default `en`).
   */
  identify(request: Request, locale?: Locale): RequestIdentity;
  /** Whether this request may switch the development identity (a peer on this machine, development mode). */
  canSwitchIdentity(request: Request): boolean;
}

export interface AuthenticatorOptions {
  /** The address the server binds (HOST); the development identity exists only on a loopback bind. */
  bindHost?: string;
}

const userNamePattern = /^[\p{L}\p{N}._@+-]{1,128}$/u;

/** Headers a reverse proxy adds: a request carrying one was relayed, so it is not a local developer. */
const proxyMarkers = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/** Parses `web:alice` (or a bare `alice`) into a web actor; undefined when unusable. */
export function parseWebIdentity(value: string): Actor | undefined {
  const trimmed = value.trim();
  const withoutPrefix = trimmed.startsWith('web:') ? trimmed.slice(4) : trimmed;
  if (!userNamePattern.test(withoutPrefix)) return undefined;
  return { channel: 'web', id: withoutPrefix };
}

/** Whether the configuration gives web users a way to sign in (bearer tokens or a trusted proxy). */
export function hasWebCredentials(config: Config): boolean {
  return config.auth.apiTokens.size > 0 || config.auth.trustedProxyUserHeader !== undefined;
}

/** Whether the development identity serves requests on this bind address. */
export function developmentIdentityEnabled(config: Config, bindHost: string): boolean {
  if (config.environment === 'production') return false;
  return isLoopbackHost(bindHost) || config.auth.dangerouslyAllowDevelopmentIdentityOffLoopback;
}

export function createAuthenticator(config: Config, options: AuthenticatorOptions = {}): Authenticator {
  const bindHost = options.bindHost ?? config.host;
  const developmentMode = developmentIdentityEnabled(config, bindHost);
  const offLoopbackOverride = developmentMode && !isLoopbackHost(bindHost);
  const proxyHeader = config.auth.trustedProxyUserHeader;
  const trustedProxies = createAddressMatcher(config.auth.trustedProxyAddresses);
  const publicHostName = hostNameOf(new URL(config.publicUrl).host);
  const developmentActor = parseActorKey(config.auth.devUser) ?? parseWebIdentity(config.auth.devUser) ?? { channel: 'web', id: 'dev' };
  const fromThisMachine = (request: Request) => isLoopbackHost(request.socket.remoteAddress ?? '');

  /** Why the development identity may not serve this request, or undefined when it may. */
  const developmentRefusal = (request: Request, locale: Locale = 'en'): string | undefined => {
    if (offLoopbackOverride) return undefined;
    const host = request.get('host');
    if (host !== undefined && host !== '') {
      const name = hostNameOf(host);
      if (!isLoopbackHost(name) && name !== publicHostName) {
        return t(locale, 'api.developmentWrongHost', { url: config.publicUrl, host: name });
      }
    }
    if (proxyMarkers.some((header) => request.headers[header] !== undefined)) {
      return t(locale, 'api.developmentProxied');
    }
    return undefined;
  };

  return {
    developmentMode,
    identify(request, locale = 'en') {
      const authorization = request.headers.authorization;
      if (authorization !== undefined) {
        const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
        const key = match?.[1] === undefined ? undefined : config.auth.apiTokens.get(match[1]);
        const actor = key === undefined ? undefined : parseActorKey(key);
        if (actor === undefined) {
          throw new ShishinError('not_authenticated', t(locale, 'api.tokenNotRecognised'));
        }
        return { actor, method: 'token' };
      }
      if (proxyHeader !== undefined) {
        const value = request.headers[proxyHeader];
        const single = Array.isArray(value) ? value[0] : value;
        if (single !== undefined && single.trim() !== '') {
          // Anyone can send the header; only the authenticating proxy's own connections are believed.
          if (!trustedProxies.matches(request.socket.remoteAddress)) {
            throw new ShishinError('not_authenticated', t(locale, 'api.proxyHeaderUntrusted', { header: proxyHeader }));
          }
          const actor = parseWebIdentity(single);
          if (actor === undefined) throw new ShishinError('not_authenticated', t(locale, 'api.proxyHeaderUnusable', { header: proxyHeader }));
          return { actor, method: 'proxy' };
        }
      }
      if (!developmentMode) {
        throw new ShishinError('not_authenticated', t(locale, 'api.signInHow'));
      }
      const refusal = developmentRefusal(request, locale);
      if (refusal !== undefined) throw new ShishinError('not_authenticated', refusal);
      // The identity switch is a local convenience: a peer elsewhere (override) stays the development identity.
      const switched = fromThisMachine(request) ? readCookies(request).get(developmentIdentityCookie) : undefined;
      const switchedActor = switched === undefined ? undefined : parseWebIdentity(switched);
      return { actor: switchedActor ?? developmentActor, method: 'development' };
    },
    canSwitchIdentity(request) {
      return developmentMode && fromThisMachine(request) && developmentRefusal(request) === undefined;
    },
  };
}

/**
 * Refuses to serve (ShishinError config_invalid, one line) when the web door would be open to anyone
 * who can reach it, or closed to everyone: production without a sign-in method, or a non-loopback
 * bind that would hand the development identity to every caller.
 */
export function assertSafeExposure(config: Config, bindHost: string): void {
  if (hasWebCredentials(config)) return;
  if (config.environment === 'production') {
    throw new ShishinError(
      'config_invalid',
      'NODE_ENV=production needs a way for web users to sign in: set API_TOKENS (bearer tokens, e.g. s3cret=web:alice) or TRUSTED_PROXY_USER_HEADER (the identity header of an authenticating proxy, with TRUSTED_PROXY_ADDRESSES)',
    );
  }
  if (!isLoopbackHost(bindHost) && !config.auth.dangerouslyAllowDevelopmentIdentityOffLoopback) {
    throw new ShishinError(
      'config_invalid',
      `HOST=${bindHost} is not a loopback address, and with neither API_TOKENS nor TRUSTED_PROXY_USER_HEADER set every caller would act as the development identity ${config.auth.devUser}: set API_TOKENS or TRUSTED_PROXY_USER_HEADER (with NODE_ENV=production), or bind HOST=127.0.0.1 (DANGEROUSLY_ALLOW_DEV_IDENTITY_OFF_LOOPBACK=true exposes the development identity anyway, for throwaway test machines only)`,
    );
  }
}
