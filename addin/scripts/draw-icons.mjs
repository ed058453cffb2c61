// Draws the Outlook add-in's icons (a schoolhouse on the council blue) at the sizes
// Office asks for. Run once; the PNGs are committed: node addin/scripts/draw-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';

const BLUE = [0x0f, 0x4c, 0x81, 255];
const WHITE = [255, 255, 255, 255];
const CLEAR = [0, 0, 0, 0];

function schoolhouse(size) {
  const png = new PNG({ width: size, height: size });
  const r = size * 0.18; // corner radius of the tile
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size;
      const v = (y + 0.5) / size;
      // Rounded tile.
      const cx = Math.min(Math.max(x + 0.5, r), size - r);
      const cy = Math.min(Math.max(y + 0.5, r), size - r);
      const inTile = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r;
      // Roof: a triangle from (0.2, 0.47) to (0.8, 0.47) with its apex at (0.5, 0.2).
      const roof = v >= 0.2 && v <= 0.47 && Math.abs(u - 0.5) <= ((v - 0.2) / 0.27) * 0.3;
      // Walls with a door.
      const walls = u >= 0.27 && u <= 0.73 && v >= 0.47 && v <= 0.8;
      const door = u >= 0.44 && u <= 0.56 && v >= 0.62 && v <= 0.8;
      const colour = !inTile ? CLEAR : (roof || walls) && !door ? WHITE : BLUE;
      png.data.set(colour, (y * size + x) * 4);
    }
  }
  return PNG.sync.write(png);
}

const dir = join(import.meta.dirname, '..', 'public', 'static', 'icons');
mkdirSync(dir, { recursive: true });
for (const size of [16, 32, 64, 80, 128]) writeFileSync(join(dir, `outlook-${size}.png`), schoolhouse(size));
console.log(`Icons written to ${dir}`);
