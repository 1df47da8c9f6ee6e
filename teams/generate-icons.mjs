// Draws the two Teams app icons as PNG files without any image library: color.png (192×192, full
// colour) and outline.png (32×32, white on a transparent background, as Teams requires). The motif is
// a compass needle — 指針 means "compass needle; guideline". Run: node teams/generate-icons.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';
import { deflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

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

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encodes RGBA pixels (Uint8Array, width*height*4) as a PNG. */
function encodePng(width, height, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    rows[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(pixels.buffer, y * width * 4, width * 4).copy(rows, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Point-in-convex-polygon test (vertices in order). */
function inPolygon(x, y, points) {
  let sign = 0;
  for (let i = 0; i < points.length; i += 1) {
    const [x1, y1] = points[i];
    const [x2, y2] = points[(i + 1) % points.length];
    const cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1);
    if (cross !== 0) {
      if (sign === 0) sign = Math.sign(cross);
      else if (Math.sign(cross) !== sign) return false;
    }
  }
  return true;
}

/**
 * Renders a size×size image from a shader returning [r, g, b, a] (0–255) for a point in unit
 * coordinates (0..1), with 4×4 supersampling for smooth edges.
 */
function render(size, shader) {
  const pixels = new Uint8Array(size * size * 4);
  const samples = 4;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const [pr, pg, pb, pa] = shader((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size);
          r += pr * pa;
          g += pg * pa;
          b += pb * pa;
          a += pa;
        }
      }
      const offset = (y * size + x) * 4;
      pixels[offset] = a === 0 ? 0 : Math.round(r / a);
      pixels[offset + 1] = a === 0 ? 0 : Math.round(g / a);
      pixels[offset + 2] = a === 0 ? 0 : Math.round(b / a);
      pixels[offset + 3] = Math.round(a / (samples * samples));
    }
  }
  return pixels;
}

// The needle: a long diamond from the lower left to the upper right, split into two halves.
const tip = [0.74, 0.26];
const tail = [0.26, 0.74];
const halfWidth = 0.06;
const northHalf = [tip, [0.5 + halfWidth, 0.5 + halfWidth], [0.5 - halfWidth, 0.5 - halfWidth]];
const southHalf = [tail, [0.5 - halfWidth, 0.5 - halfWidth], [0.5 + halfWidth, 0.5 + halfWidth]];

function inRoundedSquare(x, y, inset, radius) {
  const cx = Math.min(Math.max(x, inset + radius), 1 - inset - radius);
  const cy = Math.min(Math.max(y, inset + radius), 1 - inset - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

function ring(x, y, radius, width) {
  const distance = Math.hypot(x - 0.5, y - 0.5);
  return distance <= radius && distance >= radius - width;
}

const indigo = [48, 63, 159, 255];
const white = [255, 255, 255, 255];
const vermilion = [232, 80, 52, 255];
const clear = [0, 0, 0, 0];

const color = render(192, (x, y) => {
  if (!inRoundedSquare(x, y, 0.02, 0.2)) return clear;
  if (inPolygon(x, y, northHalf)) return vermilion;
  if (inPolygon(x, y, southHalf)) return white;
  if (Math.hypot(x - 0.5, y - 0.5) <= 0.035) return white;
  if (ring(x, y, 0.36, 0.035)) return white;
  return indigo;
});

const outline = render(32, (x, y) => {
  if (inPolygon(x, y, northHalf) || inPolygon(x, y, southHalf)) return white;
  if (ring(x, y, 0.44, 0.08)) return white;
  return clear;
});

writeFileSync(join(here, 'color.png'), encodePng(192, 192, color));
writeFileSync(join(here, 'outline.png'), encodePng(32, 32, outline));
console.log('wrote teams/color.png (192×192) and teams/outline.png (32×32)');
