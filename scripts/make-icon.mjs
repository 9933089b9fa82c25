// Draws the extension's icon (docs/images/icon.png, 256×256): three image layers on Go blue, with
// a bolt for the cached build. Plain shapes, 4×4 supersampled; run `node scripts/make-icon.mjs`.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 256;
const SAMPLES = 4;
const GO_BLUE = [0, 173, 216];
const WHITE = [255, 255, 255];
const PALE = [190, 236, 247];
const BOLT = [255, 212, 59];
const INK = [0, 88, 122];

function roundedRect(x0, y0, x1, y1, r) {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
}

function polygon(points) {
  return (x, y) => {
    let inside = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i];
      const [xj, yj] = points[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
}

function outline(shape, width) {
  return (x, y) => shape(x, y) && !(shape(x - width, y) && shape(x + width, y) && shape(x, y - width) && shape(x, y + width));
}

const bolt = polygon([[176, 28], [118, 132], [160, 132], [134, 226], [214, 104], [170, 104], [200, 28]]);
// Painted in order; the last shape that covers a point gives its colour.
const shapes = [
  [roundedRect(0, 0, 255, 255, 52), GO_BLUE],
  [roundedRect(36, 164, 164, 206, 10), WHITE],
  [roundedRect(36, 112, 164, 154, 10), WHITE],
  [roundedRect(36, 60, 164, 102, 10), PALE],
  [outline(bolt, 7), INK],
  [(x, y) => bolt(x, y) && !outline(bolt, 7)(x, y), BOLT],
];

const pixels = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  pixels[y * (SIZE * 4 + 1)] = 0;
  for (let x = 0; x < SIZE; x++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const px = x + (sx + 0.5) / SAMPLES;
        const py = y + (sy + 0.5) / SAMPLES;
        let colour;
        for (const [inside, c] of shapes) if (inside(px, py)) colour = c;
        if (!colour) continue;
        sum[0] += colour[0]; sum[1] += colour[1]; sum[2] += colour[2]; sum[3] += 1;
      }
    }
    const offset = y * (SIZE * 4 + 1) + 1 + x * 4;
    const covered = sum[3];
    pixels[offset] = covered ? Math.round(sum[0] / covered) : 0;
    pixels[offset + 1] = covered ? Math.round(sum[1] / covered) : 0;
    pixels[offset + 2] = covered ? Math.round(sum[2] / covered) : 0;
    pixels[offset + 3] = Math.round((255 * covered) / (SAMPLES * SAMPLES));
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(pixels, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../docs/images/icon.png', import.meta.url), png);
