import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

/**
 * The event-based activation handlers as one classic script (static/launch-events.js):
 * classic Outlook on Windows runs it alone in a JavaScript-only runtime, which loads no
 * modules, so it cannot be one of the main build's ES module chunks.
 */
export default defineConfig({
  root: here,
  publicDir: false,
  build: {
    outDir: resolve(here, 'dist/static'),
    emptyOutDir: false,
    lib: { entry: resolve(here, 'src/outlook/launch-events.entry.ts'), formats: ['iife'], name: 'svLaunchEvents', fileName: () => 'launch-events.js' },
  },
});
