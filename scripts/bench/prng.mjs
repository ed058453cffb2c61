/**
 * A small seeded PRNG (mulberry32) so the national data set is the same on every
 * machine and every run: golden answers and figures can then be compared.
 */
export function createRandom(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (n) => {
    let s = '';
    while (s.length < n)
      s += Math.floor(next() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
    return s.slice(0, n);
  };
  return {
    next,
    /** An integer from min to max, both included. */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    /** A version 4 UUID. */
    uuid: () => {
      const h = hex(32);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[Math.floor(next() * 4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    /**
     * A time-ordered UUID (version 7 layout) for rows written in time order: their
     * primary-key index grows at its end, as it would in a live system over ten years,
     * instead of being rewritten at random places while loading 20 million rows.
     */
    uuidAt: (ms) => {
      const t = Math.floor(ms).toString(16).padStart(12, '0');
      const h = hex(20);
      return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${h.slice(0, 3)}-${'89ab'[Math.floor(next() * 4)]}${h.slice(3, 6)}-${h.slice(6, 18)}`;
    },
  };
}
