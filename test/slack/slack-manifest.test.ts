// Keeps the Slack app manifest in step with the code: every event, command, shortcut and scope the
// handlers rely on is declared, and the request URLs point at /slack/events.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { slashCommand } from '../../src/channels/slack/command-handler.js';
import { intakeShortcutCallbackId } from '../../src/channels/slack/intake-handlers.js';
import { obligationShortcutCallbackId } from '../../src/channels/slack/obligation-blocks.js';
import { repositoryRoot } from '../helpers/test-app.js';

interface Manifest {
  features: { app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean }; slash_commands: Array<{ command: string; url: string }>; shortcuts: Array<{ callback_id: string; type: string }> };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url: string }; socket_mode_enabled: boolean };
}

describe('slack/manifest.yaml', () => {
  const manifest = parse(readFileSync(path.join(repositoryRoot, 'slack', 'manifest.yaml'), 'utf8')) as Manifest;

  it('declares the scopes and events the handlers use', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['app_mentions:read', 'chat:write', 'commands', 'im:history', 'im:read', 'im:write', 'channels:history', 'groups:history', 'reactions:write', 'users:read']),
    );
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_home_opened', 'app_mention', 'message.channels', 'message.groups', 'message.im']);
  });

  it('declares the command, the shortcuts, interactivity and App Home, in HTTP mode by default', () => {
    expect(manifest.features.slash_commands.map((command) => command.command)).toEqual([slashCommand]);
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({ callback_id: intakeShortcutCallbackId, type: 'global' }),
      expect.objectContaining({ callback_id: obligationShortcutCallbackId, type: 'message' }),
    ]);
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    for (const url of [manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url, manifest.features.slash_commands[0]?.url]) {
      expect(url).toMatch(/^https:\/\/.+\/slack\/events$/);
    }
  });
});
