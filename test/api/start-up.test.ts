// `shishin serve` refuses to start on bad configuration: one line naming the variable, exit code 2;
// a risk rule citing a passage that is not in the index stops start-up too.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../helpers/test-app.js';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

function serve(environment: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repositoryRoot, 'bin', 'shishin.js'), 'serve', '--port', '0'], {
      cwd: repositoryRoot,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'silent', ...environment },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('start-up checks', () => {
  it('names the invalid variable and exits 2', async () => {
    const result = await serve({ RATE_LIMIT_PER_MINUTE: 'lots' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('RATE_LIMIT_PER_MINUTE: must be a positive whole number');
    expect(result.stdout).toBe('');
  });

  it('fails loudly when a rule cites a passage the index does not hold', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'shishin-start-'));
    folders.push(folder);
    const rules = await readFile(path.join(repositoryRoot, 'rules', 'risk-rules.yaml'), 'utf8');
    const broken = rules.replace('section: "Article 9 — Risk management system"', 'section: "Article 9000 — No such article"');
    expect(broken).not.toBe(rules);
    await writeFile(path.join(folder, 'risk-rules.yaml'), broken);
    await writeFile(path.join(folder, 'text-signals.yaml'), await readFile(path.join(repositoryRoot, 'rules', 'text-signals.yaml'), 'utf8'));
    const result = await serve({
      DATA_DIR: path.join(folder, 'data'),
      CORPUS_DIR: path.join(repositoryRoot, 'corpus'),
      PROMPTS_DIR: path.join(repositoryRoot, 'prompts'),
      RULES_FILE: path.join(folder, 'risk-rules.yaml'),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Article 9000');
    expect(result.stdout).not.toContain('Shishin is running');
  });
});
