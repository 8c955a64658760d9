import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

/**
 * Draws the two icons of the Teams app package and writes them as PNG with node:zlib only (no image
 * library for two small files). Run `npx tsx scripts/teams/icons.ts` after changing the drawing; the
 * PNGs are committed. Teams wants a 192x192 full-colour icon and a 32x32 outline icon that is white on a
 * transparent background.
 *
 * The glyph: a tunnel (an arch over a road) with a medical cross under the arch.
 */

export const ACCENT = { r: 0x0f, g: 0x6c, b: 0xbd }; // also the manifest's accentColor (#0F6CBD)

/** Signed-distance-ish coverage of the glyph at (x, y) in [0,1]²: true when inside. */
function inGlyph(x: number, y: number): boolean {
  const cx = 0.5;
  const cy = 0.62;
  const d = Math.hypot(x - cx, y - cy);
  const arch = y <= cy && d <= 0.33 && d >= 0.22;
  const road = y >= cy - 0.005 && y <= cy + 0.085 && x >= 0.1 && x <= 0.9;
  const crossY = 0.51;
  const arm = 0.075;
  const half = 0.03;
  const cross = (Math.abs(x - cx) <= half && Math.abs(y - crossY) <= arm) || (Math.abs(y - crossY) <= half && Math.abs(x - cx) <= arm);
  return arch || road || cross;
}

/** Fraction of the pixel covered by the glyph, 4x4 supersampled so edges are smooth at 32 px. */
function coverage(px: number, py: number, size: number): number {
  const n = 4;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (inGlyph((px + (i + 0.5) / n) / size, (py + (j + 0.5) / n) / size)) hits++;
    }
  }
  return hits / (n * n);
}

export function drawColorIcon(size = 192): Buffer {
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const a = coverage(x, y, size);
      const o = (y * size + x) * 4;
      rgba[o] = Math.round(ACCENT.r + (255 - ACCENT.r) * a);
      rgba[o + 1] = Math.round(ACCENT.g + (255 - ACCENT.g) * a);
      rgba[o + 2] = Math.round(ACCENT.b + (255 - ACCENT.b) * a);
      rgba[o + 3] = 255;
    }
  }
  return encodePng(size, size, rgba);
}

export function drawOutlineIcon(size = 32): Buffer {
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 4;
      rgba[o] = 255;
      rgba[o + 1] = 255;
      rgba[o + 2] = 255;
      rgba[o + 3] = Math.round(255 * coverage(x, y, size));
    }
  }
  return encodePng(size, size, rgba);
}

/** A minimal PNG encoder: 8-bit RGBA, no interlacing, filter 0 on every row. */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // filter method
  ihdr[12] = 0; // no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = new URL('../../adapters/teams/appPackage/', import.meta.url);
  writeFileSync(new URL('color.png', dir), drawColorIcon());
  writeFileSync(new URL('outline.png', dir), drawOutlineIcon());
  process.stderr.write(`wrote color.png (192x192) and outline.png (32x32) in ${fileURLToPath(dir)}\n`);
}
