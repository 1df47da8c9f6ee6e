// Builds the Teams app package for sideloading: substitutes the bot's app id (MicrosoftAppId) and the
// public URL into teams/manifest.json and zips it with the two icons into teams/build/shishin-teams.zip.
// Usage: MicrosoftAppId=<guid> PUBLIC_URL=https://shishin.example.com npm run teams:package
import { Buffer } from 'node:buffer';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const teamsDir = join(root, 'teams');
// TEAMS_PACKAGE_OUTPUT overrides where the zip goes (tests write to a temporary folder).
const output = process.env.TEAMS_PACKAGE_OUTPUT ?? join(teamsDir, 'build', 'shishin-teams.zip');

function fail(message) {
  console.error(`teams:package: ${message}`);
  process.exit(2);
}

const appId = (process.env.MicrosoftAppId ?? process.env.MICROSOFT_APP_ID ?? '').trim();
if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(appId)) {
  fail(
    appId === ''
      ? 'set MicrosoftAppId to the Azure Bot registration\'s app id (a GUID)'
      : `MicrosoftAppId "${appId}" is not a GUID; use the app id of the Azure Bot registration`,
  );
}
const publicUrl = (process.env.PUBLIC_URL ?? '').trim().replace(/\/+$/, '') || 'https://example.com';
if (!/^https:\/\/[^\s/]+/.test(publicUrl)) fail(`PUBLIC_URL must be an https:// URL for the Teams manifest, got "${publicUrl}"`);
if (process.env.PUBLIC_URL === undefined) console.warn('teams:package: PUBLIC_URL is not set; the manifest links point to https://example.com');

const values = { MICROSOFT_APP_ID: appId, PUBLIC_URL: publicUrl };
const template = readFileSync(join(teamsDir, 'manifest.json'), 'utf8');
const manifestText = template.replace(/\$\{\{([A-Z_]+)\}\}/g, (match, name) => {
  if (!(name in values)) fail(`manifest.json uses an unknown placeholder ${match}`);
  return values[name];
});
const manifest = JSON.parse(manifestText);
if (manifest.id !== appId || manifest.bots?.[0]?.botId !== appId) fail('manifest.json must use ${{MICROSOFT_APP_ID}} for id and botId');

function pngSize(buffer, name) {
  const signature = '89504e470d0a1a0a';
  if (buffer.subarray(0, 8).toString('hex') !== signature) fail(`${name} is not a PNG`);
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}
const color = readFileSync(join(teamsDir, 'color.png'));
const outline = readFileSync(join(teamsDir, 'outline.png'));
const colorSize = pngSize(color, 'color.png');
const outlineSize = pngSize(outline, 'outline.png');
if (colorSize.width !== 192 || colorSize.height !== 192) fail('color.png must be 192×192');
if (outlineSize.width !== 32 || outlineSize.height !== 32) fail('outline.png must be 32×32');

// A minimal ZIP writer (deflate, no ZIP64): local headers, data, central directory, end record.
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function dosDateTime(date) {
  const time = (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2);
  const day = ((date.getFullYear() - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate();
  return { time, day };
}

function zip(files) {
  const { time, day } = dosDateTime(new Date());
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(day, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBytes, compressed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(day, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

mkdirSync(dirname(output), { recursive: true });
writeFileSync(
  output,
  zip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    { name: 'color.png', data: color },
    { name: 'outline.png', data: outline },
  ]),
);
console.log(`teams:package: wrote ${output.startsWith(root) ? output.slice(root.length + 1) : output} for app ${appId}`);
