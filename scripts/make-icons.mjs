// Draws the tray icons for every state and writes them to assets/ (run: node scripts/make-icons.mjs).
// A shield, coloured by state, antialiased by 4×4 supersampling; PNG and ICO written with Node alone.
//   assets/tray-<state>.png (16), @2x (32), -32.png (32), -32@2x.png (64)   colour, for Windows/Linux
//   assets/tray-<state>Template.png (16) and @2x (32)                        black + alpha, for macOS
//   assets/tray-<state>.ico (16, 32, 48)                                      Windows
import { mkdirSync, writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const STATES = {
  idle: { fill: null, stroke: [96, 96, 104], mark: null },
  active: { fill: [16, 124, 16], stroke: [16, 124, 16], mark: "check" },
  pending: { fill: [214, 140, 0], stroke: [214, 140, 0], mark: "dot" },
  expiring: { fill: [200, 45, 30], stroke: [200, 45, 30], mark: "bang" },
  signin: { fill: null, stroke: [96, 96, 104], mark: "bang" },
};

/** Inside the shield outline, in unit coordinates. */
function inShield(x, y, inset = 0) {
  const half = 0.4 - inset;
  const top = 0.08 + inset;
  const bottom = 0.94 - inset * 1.6;
  if (y < top || y > bottom) return false;
  const mid = 0.52;
  if (y <= mid) return Math.abs(x - 0.5) <= half;
  return Math.abs(x - 0.5) <= half * ((bottom - y) / (bottom - mid));
}

function inMark(mark, x, y) {
  if (mark === "dot") return (x - 0.5) ** 2 + (y - 0.45) ** 2 <= 0.13 ** 2;
  if (mark === "bang")
    return (Math.abs(x - 0.5) <= 0.07 && y >= 0.22 && y <= 0.56) || (x - 0.5) ** 2 + (y - 0.7) ** 2 <= 0.075 ** 2;
  if (mark === "check") {
    // Two strokes of a tick.
    const d1 = Math.abs(y - 0.5 - (x - 0.3)) / Math.SQRT2;
    const d2 = Math.abs(y - 0.66 + (x - 0.44)) / Math.SQRT2;
    return (d1 <= 0.06 && x >= 0.27 && x <= 0.46 && y <= 0.7) || (d2 <= 0.06 && x >= 0.42 && x <= 0.74 && y >= 0.25);
  }
  return false;
}

function draw(size, state, template) {
  const s = STATES[state];
  const px = Buffer.alloc(size * size * 4);
  const ss = 4;
  const stroke = Math.max(0.09, 1.6 / size);
  for (let py = 0; py < size; py++) {
    for (let pxX = 0; pxX < size; pxX++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = (pxX + (sx + 0.5) / ss) / size;
          const y = (py + (sy + 0.5) / ss) / size;
          let c = null;
          let alpha = 1;
          const shield = inShield(x, y);
          const inner = inShield(x, y, stroke);
          if (s.fill && shield) {
            c = inMark(s.mark, x, y) ? [255, 255, 255] : s.fill;
            if (template && inMark(s.mark, x, y)) alpha = 0; // marks are cut out in Template images
          } else if (!s.fill && shield && !inner) {
            c = s.stroke;
          } else if (!s.fill && inner && inMark(s.mark, x, y)) {
            c = s.stroke;
          }
          if (c && alpha) {
            r += template ? 0 : c[0];
            g += template ? 0 : c[1];
            b += template ? 0 : c[2];
            a += 255;
          }
        }
      }
      const n = ss * ss;
      const i = (py * size + pxX) * 4;
      const cover = a / 255;
      px[i] = cover ? Math.round(r / cover) : 0;
      px[i + 1] = cover ? Math.round(g / cover) : 0;
      px[i + 2] = cover ? Math.round(b / cover) : 0;
      px[i + 3] = Math.round(a / n);
    }
  }
  return px;
}

const CRC = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
function ico(images) {
  // ICO with PNG-compressed entries (supported since Windows Vista).
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const dir = Buffer.alloc(16 * images.length);
  let offset = 6 + dir.length;
  images.forEach(({ size, data }, i) => {
    const e = i * 16;
    dir[e] = size >= 256 ? 0 : size;
    dir[e + 1] = size >= 256 ? 0 : size;
    dir.writeUInt16LE(1, e + 4);
    dir.writeUInt16LE(32, e + 6);
    dir.writeUInt32LE(data.length, e + 8);
    dir.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([header, dir, ...images.map((i) => i.data)]);
}

mkdirSync("assets", { recursive: true });
const write = (name, data) => writeFileSync(`assets/${name}`, data);
for (const state of Object.keys(STATES)) {
  write(`tray-${state}.png`, png(16, draw(16, state, false)));
  write(`tray-${state}@2x.png`, png(32, draw(32, state, false)));
  write(`tray-${state}-32.png`, png(32, draw(32, state, false)));
  write(`tray-${state}-32@2x.png`, png(64, draw(64, state, false)));
  write(`tray-${state}Template.png`, png(16, draw(16, state, true)));
  write(`tray-${state}Template@2x.png`, png(32, draw(32, state, true)));
  write(`tray-${state}.ico`, ico([16, 32, 48].map((size) => ({ size, data: png(size, draw(size, state, false)) }))));
}
// The app icon for packaging: the active shield, large.
write("icon.png", png(512, draw(512, "active", false)));
process.stdout.write(`wrote ${Object.keys(STATES).length * 7 + 1} icons to assets/\n`);
