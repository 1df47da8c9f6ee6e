// How the Teams door authenticates Bot Framework requests. With an app id, every request must carry
// a Bot Framework JWT for that app (checked by botbuilder against the published OpenID keys). Without
// one, botbuilder authenticates nothing, so that mode is allowed only on a loopback HOST and only when
// DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS=true says so explicitly.
import {
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { Config } from '../../config.js';
import { ShishinError } from '../../errors.js';
import { isLoopbackHost } from '../../network-address.js';

export { isLoopbackHost };

/** Whether requests are authenticated; throws config_invalid when the unauthenticated mode is not allowed. */
export function teamsAuthenticationMode(config: Pick<Config, 'teams' | 'host'>): 'app' | 'unauthenticated' {
  const { teams } = config;
  if (teams.appId !== undefined) return 'app';
  if (!teams.dangerouslyAllowUnauthenticated) {
    throw new ShishinError(
      'config_invalid',
      'Teams needs MicrosoftAppId (and MicrosoftAppPassword) to authenticate requests; for local testing only, set DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS=true with HOST=127.0.0.1',
    );
  }
  if (!isLoopbackHost(config.host)) {
    throw new ShishinError(
      'config_invalid',
      `DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS=true accepts unauthenticated Bot Framework requests, so it is allowed only when HOST is loopback (127.0.0.1, ::1 or localhost), not "${config.host}". Set MicrosoftAppId and MicrosoftAppPassword instead.`,
    );
  }
  return 'unauthenticated';
}

/**
 * Extra Bot Framework settings, e.g. `ToBotFromChannelOpenIdMetadataUrl`, `ToBotFromChannelTokenIssuer`
 * or `ToChannelFromBotLoginUrl`, for sovereign clouds and for tests that run a local issuer.
 */
export type BotFrameworkSettings = Partial<Record<string, string>>;

/** Bot Framework authentication from the app's own variables (MicrosoftAppId, …) plus `settings`. */
export function createTeamsAuthentication(
  config: Pick<Config, 'teams' | 'host'>,
  settings: BotFrameworkSettings = {},
): ConfigurationBotFrameworkAuthentication {
  const mode = teamsAuthenticationMode(config);
  const options: ConfigurationBotFrameworkAuthenticationOptions = {};
  if (mode === 'app') {
    const { teams } = config;
    options.MicrosoftAppId = teams.appId;
    options.MicrosoftAppPassword = teams.appPassword;
    options.MicrosoftAppType = teams.appType ?? 'MultiTenant';
    if (teams.tenantId !== undefined) options.MicrosoftAppTenantId = teams.tenantId;
  }
  for (const [key, value] of Object.entries(settings)) if (value !== undefined) options[key] = value;
  return new ConfigurationBotFrameworkAuthentication(options);
}
