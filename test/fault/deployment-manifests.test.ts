// The Kubernetes manifests in deploy/kubernetes: every file parses; the Deployment runs two replicas
// of the image with the probes the service answers; selectors match; every configured variable is
// one the configuration reads; and the environment they produce (with the image's own ENV lines)
// passes the configuration schema — a broken manifest is a deployment fault caught before rollout.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { repositoryRoot } from '../helpers/test-app.js';

type Manifest = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- free-form Kubernetes objects

const directory = path.join(repositoryRoot, 'deploy', 'kubernetes');
const files = readdirSync(directory).filter((name) => name.endsWith('.yaml'));

function documentsOf(name: string): Manifest[] {
  const documents = parseAllDocuments(readFileSync(path.join(directory, name), 'utf8'));
  for (const document of documents) expect(document.errors, `${name}: ${document.errors.join('; ')}`).toEqual([]);
  return documents.map((document) => document.toJS() as Manifest);
}

const all = new Map(files.map((name) => [name, documentsOf(name)]));
const byKind = (kind: string) => [...all.values()].flat().filter((manifest) => manifest.kind === kind);
const one = (kind: string) => {
  const found = byKind(kind);
  expect(found, kind).toHaveLength(1);
  return found[0] as Manifest;
};

/** `ENV A=1 \ B=2` lines of the runtime stage of the Dockerfile. */
function dockerfileEnvironment(): Record<string, string> {
  const text = readFileSync(path.join(repositoryRoot, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const runtime = text.slice(text.lastIndexOf('FROM '));
  const environment: Record<string, string> = {};
  for (const line of runtime.split('\n').filter((entry) => entry.startsWith('ENV '))) {
    for (const pair of line.slice(4).trim().split(/\s+/)) {
      const [key, ...value] = pair.split('=');
      if (key !== undefined && key !== '') environment[key] = value.join('=');
    }
  }
  return environment;
}

describe('Kubernetes manifests', () => {
  it('parse, and the kustomization lists files that exist', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
    const kustomization = one('Kustomization');
    for (const resource of kustomization.resources as string[]) expect(existsSync(path.join(directory, resource)), resource).toBe(true);
    for (const name of files) for (const manifest of all.get(name) ?? []) expect(typeof manifest.apiVersion, name).toBe('string');
  });

  it('run two replicas of the image with readiness on /readyz and liveness on /healthz', () => {
    const deployment = one('Deployment');
    expect(deployment.spec.replicas).toBe(2);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe(one('Kustomization').images[0].name);
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    const port = container.ports[0];
    expect(String(port.containerPort)).toBe(dockerfileEnvironment().PORT);
    expect(readFileSync(path.join(repositoryRoot, 'Dockerfile'), 'utf8')).toContain(`EXPOSE ${port.containerPort}`);
    expect(container.resources.requests.memory).toBeDefined();
    expect(container.resources.limits.memory).toBeDefined();
    // The drain after SIGTERM (10 s) plus preStop fits in the grace period.
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(20);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
  });

  it('select the pods from the Service and the PodDisruptionBudget', () => {
    const labels = one('Deployment').spec.template.metadata.labels as Record<string, string>;
    const matches = (selector: Record<string, string>) => Object.entries(selector).every(([key, value]) => labels[key] === value);
    expect(matches(one('Deployment').spec.selector.matchLabels)).toBe(true);
    expect(matches(one('Service').spec.selector)).toBe(true);
    expect(matches(one('PodDisruptionBudget').spec.selector.matchLabels)).toBe(true);
    expect(one('PodDisruptionBudget').spec.minAvailable).toBe(1);
    const backend = one('Ingress').spec.rules[0].http.paths[0].backend.service;
    expect(backend.name).toBe(one('Service').metadata.name);
  });

  it('configure only variables the service reads, and produce a configuration that loads', () => {
    const configSource = readFileSync(path.join(repositoryRoot, 'src', 'config.ts'), 'utf8');
    const configMap = one('ConfigMap');
    const secret = one('Secret');
    const environment: Record<string, string> = { ...dockerfileEnvironment(), ...configMap.data, ...secret.stringData };
    for (const key of [...Object.keys(configMap.data), ...Object.keys(secret.stringData)]) {
      expect(configSource, `${key} is not a configuration variable`).toMatch(new RegExp(`\\b${key}:`));
    }
    const deployment = one('Deployment');
    const references = (deployment.spec.template.spec.containers[0].envFrom as Array<Record<string, { name: string }>>).map((entry) => Object.values(entry)[0]?.name);
    expect(references).toEqual(expect.arrayContaining([configMap.metadata.name, secret.metadata.name]));
    const config = loadConfig(environment);
    expect(config.environment).toBe('production');
    expect(config.databaseUrl).toMatch(/^postgresql:\/\//);
    expect(config.indexDir).toBe('/app/index-data/index');
    expect(config.slack.appToken).toBeUndefined();
  });
});
