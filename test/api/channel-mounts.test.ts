// The service start (src/main.ts) mounts the configured chat channels on the one HTTP server:
// Slack at POST /slack/events (raw body reaches Bolt's signature check), Teams at POST /api/messages.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { startService, type RunningService } from '../../src/main.js';
import { postSignedEvent, startFakeSlackApi, type FakeSlackApi } from '../helpers/fake-slack-api.js';
import { repositoryRoot } from '../helpers/test-app.js';

let service: RunningService | undefined;
let slackApi: FakeSlackApi | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await service?.stop(2000);
  await slackApi?.close();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  service = undefined;
  slackApi = undefined;
});

async function start(environment: Record<string, string>): Promise<RunningService> {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'shishin-mounts-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    CORPUS_DIR: path.join(repositoryRoot, 'corpus'),
    RULES_FILE: path.join(repositoryRoot, 'rules', 'risk-rules.yaml'),
    PROMPTS_DIR: path.join(repositoryRoot, 'prompts'),
    ...environment,
  });
  service = await startService(config, { logger: silentLogger(), metrics: createMetrics({ defaultMetrics: false }), port: 0 });
  return service;
}

describe('channel mounts', () => {
  it('serves Slack events and Teams messages next to the API when both are configured', async () => {
    slackApi = await startFakeSlackApi();
    const running = await start({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'slack-secret',
      SLACK_API_URL: slackApi.apiUrl,
      DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS: 'true',
    });
    const url = running.web.url;
    expect(running.lines.some((line) => /slack/i.test(line))).toBe(true);
    expect(running.lines.some((line) => /teams/i.test(line))).toBe(true);
    expect(running.lines.at(-1)).toBe(`console: ${url}/console`);

    const challenge = await postSignedEvent(`${url}/slack/events`, 'slack-secret', { type: 'url_verification', challenge: 'abc123', token: 'x' });
    expect(challenge.status).toBe(200);
    expect(await challenge.text()).toContain('abc123');
    const forged = await postSignedEvent(`${url}/slack/events`, 'slack-secret', { type: 'url_verification', challenge: 'abc' }, { signature: 'v0=forged' });
    expect(forged.status).toBe(401);

    const teams = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"message"}' });
    expect(teams.status).not.toBe(404);
    expect(teams.status).toBeLessThan(500);
    // The JSON API keeps working beside the channel routes.
    expect((await fetch(`${url}/api/me`)).status).toBe(200);
  });

  it('leaves the channel paths unmounted when no channel is configured', async () => {
    const running = await start({});
    expect(running.lines).toContain('chat channels: none configured (set SLACK_BOT_TOKEN or MicrosoftAppId to add Slack or Teams)');
    expect((await fetch(`${running.web.url}/slack/events`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${running.web.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
  });
});
