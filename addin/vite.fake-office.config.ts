import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

/** The fake Office.js as one classic script, served in place of the CDN's by the end-to-end tests. */
export default defineConfig({
  root: here,
  publicDir: false,
  build: {
    outDir: resolve(here, 'dist/static'),
    emptyOutDir: false,
    lib: { entry: resolve(here, 'src/outlook/fake-office.entry.ts'), formats: ['iife'], name: 'svFakeOffice', fileName: () => 'fake-office.js' },
  },
});
