// The Teams app package: the script substitutes the app id into the manifest and zips it with the two
// icons; the zip is read back here with a small reader (central directory + raw inflate).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = path.resolve('scripts/package-teams-app.mjs');
const appId = '11111111-2222-4333-8444-555555555555';

function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let index = 0; index < count; index += 1) {
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString('utf8');
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    files.set(name, inflateRawSync(zip.subarray(dataStart, dataStart + compressedSize)));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

/** Width, height and the RGBA pixels of an unfiltered 8-bit RGBA PNG (as the icon script writes). */
function decodePng(png: Buffer): { width: number; height: number; pixel: (x: number, y: number) => number[] } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const chunks: Buffer[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    const type = png.subarray(offset + 4, offset + 8).toString('ascii');
    if (type === 'IDAT') chunks.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const rows = inflateSync(Buffer.concat(chunks));
  return {
    width,
    height,
    pixel: (x, y) => [...rows.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 1 + x * 4 + 4)],
  };
}

describe('teams:package', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'shishin-teams-package-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('zips the manifest with the app id substituted and both icons', async () => {
    const output = path.join(directory, 'app.zip');
    const { stdout } = await run(process.execPath, [script], {
      env: { ...process.env, MicrosoftAppId: appId, PUBLIC_URL: 'https://shishin.example.org', TEAMS_PACKAGE_OUTPUT: output },
    });
    expect(stdout).toContain(appId);
    const files = readZip(await readFile(output));
    expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(manifest.id).toBe(appId);
    expect(manifest.bots[0].botId).toBe(appId);
    expect(manifest.bots[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(manifest.bots[0].commandLists[0].commands.map((command: { title: string }) => command.title)).toEqual(['intake', 'status', 'obligations', 'help']);
    expect(manifest.developer.websiteUrl).toBe('https://shishin.example.org');
    expect(JSON.stringify(manifest)).not.toContain('${{');
    const color = decodePng(files.get('color.png')!);
    expect([color.width, color.height]).toEqual([192, 192]);
    expect(color.pixel(96, 20)[3]).toBe(255);
    const outline = decodePng(files.get('outline.png')!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    expect(outline.pixel(0, 0)[3]).toBe(0); // transparent background
    for (let y = 0; y < 32; y += 1) {
      for (let x = 0; x < 32; x += 1) {
        const [r, g, b, a] = outline.pixel(x, y);
        if (a! > 0) expect([r, g, b]).toEqual([255, 255, 255]); // white only
      }
    }
  });

  it('refuses to build without a GUID app id', async () => {
    const failure = await run(process.execPath, [script], {
      env: { ...process.env, MicrosoftAppId: 'not-a-guid', TEAMS_PACKAGE_OUTPUT: path.join(directory, 'x.zip') },
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('not a GUID');
  });
});
