// Draws the Teams app icons (committed in addin/teams/): a 192 px colour icon and a
// 32 px outline icon (white on transparent, as Teams requires). Run again after a change:
//   node addin/scripts/make-teams-icons.mjs
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';

const out = join(import.meta.dirname, '..', 'teams');

/** A school building with a pediment and a door, in a unit square (0..1): true where it is drawn. */
function school(x, y, stroke) {
  const inRect = (x0, y0, x1, y1) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
  const roof = y >= 0.2 && y <= 0.42 && Math.abs(x - 0.5) <= (y - 0.2) * (0.36 / 0.22);
  const body = inRect(0.18, 0.42, 0.82, 0.82);
  const door = inRect(0.42, 0.6, 0.58, 0.82);
  const windows = inRect(0.26, 0.5, 0.36, 0.62) || inRect(0.64, 0.5, 0.74, 0.62);
  if (!stroke) return (roof || body) && !door && !windows;
  // Outline: the shapes' edges only, about one pixel wide at 32 px.
  const t = 0.045;
  const bodyEdge = body && !inRect(0.18 + t, 0.42 + t, 0.82 - t, 0.82 - t);
  const roofEdge = roof && !(y >= 0.2 + 2 * t && y <= 0.42 && Math.abs(x - 0.5) <= (y - 0.2 - 2 * t) * (0.36 / 0.22));
  return bodyEdge || roofEdge || door || windows;
}

function draw(size, { background, foreground, stroke }) {
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const i = (py * size + px) * 4;
      const on = school((px + 0.5) / size, (py + 0.5) / size, stroke);
      const [r, g, b, a] = on ? foreground : background;
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = a;
    }
  }
  return PNG.sync.write(png);
}

writeFileSync(join(out, 'color.png'), draw(192, { background: [0x3a, 0x5b, 0xa0, 255], foreground: [255, 255, 255, 255], stroke: false }));
writeFileSync(join(out, 'outline.png'), draw(32, { background: [0, 0, 0, 0], foreground: [255, 255, 255, 255], stroke: true }));
console.log(`Icons written to ${out}`);
