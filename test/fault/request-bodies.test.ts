// Broken request bodies on the real server: a body whose Content-Encoding (gzip, deflate, br) does
// not match its bytes, an unknown encoding, too many form fields — every one is a clear 400, 413 or
// 415 with the error JSON, never a 500, and the log records a refusal, not an error with a stack.
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startTestServer, type TestServer } from '../helpers/test-app.js';

const lines: Array<Record<string, unknown>> = [];
let server: TestServer;

beforeAll(async () => {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter((text) => text !== '')) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  server = await startTestServer(
    { NODE_ENV: 'production', API_TOKENS: 'alice-token=web:alice', RATE_LIMIT_PER_MINUTE: '100000' },
    { logger: createLogger({ level: 'info', destination }) },
  );
}, 120_000);

afterAll(async () => {
  await server?.close();
});

async function post(path: string, headers: Record<string, string>, body: string | Uint8Array): Promise<{ status: number; json: { error?: { code: string; message: string } } | undefined; text: string }> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: 'Bearer alice-token', ...headers }, body });
  const text = await response.text();
  let json: { error?: { code: string; message: string } } | undefined;
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

const question = JSON.stringify({ question: 'What does Article 50 require?' });

describe('corrupt and unusual request bodies', () => {
  it('answers a plain body labelled gzip, deflate or br with 400 and a short message', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const reply = await post('/api/ask', { 'content-type': 'application/json', 'content-encoding': encoding }, question);
      expect(reply.status, encoding).toBe(400);
      expect(reply.json?.error).toEqual({ code: 'input_invalid', message: 'The request body could not be decompressed: it does not match its Content-Encoding.' });
      expect(reply.text).not.toMatch(/\n\s+at |zlib|Z_DATA_ERROR/);
    }
    // A body that really is gzip still works.
    const compressed = await post('/api/ask', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(question));
    expect(compressed.status).toBe(200);
  });

  it('answers an unknown encoding or character set with 415, and too many form fields with 413', async () => {
    const unknown = await post('/api/ask', { 'content-type': 'application/json', 'content-encoding': 'compress' }, question);
    expect(unknown.status).toBe(415);
    expect(unknown.json?.error?.code).toBe('unsupported_media_type');
    expect(unknown.json?.error?.message).toMatch(/Content-Encoding/);
    const charset = await post('/api/ask', { 'content-type': 'application/json; charset=x-unknown' }, question);
    expect(charset.status).toBe(415);
    const fields = await post('/console/feedback', { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, 'a=1&'.repeat(300));
    expect(fields.status).toBe(413);
    expect(fields.json?.error).toEqual({ code: 'payload_too_large', message: 'The form has too many fields.' });
  });

  it('logs the refusals at info level, with no error entry and no stack', () => {
    const refusals = lines.filter((line) => line.msg === 'request refused');
    expect(refusals.length).toBeGreaterThanOrEqual(6);
    const errors = lines.filter((line) => typeof line.level === 'number' && line.level >= 50);
    expect(errors).toEqual([]);
    expect(JSON.stringify(lines)).not.toMatch(/"stack"/);
  });
});
