import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

/**
 * A build of one entry as a classic script in dist/static (an IIFE exposing `name`): for what
 * runs where ES modules do not (a page loading Office.js's replacement, Outlook's JavaScript-only runtime).
 */
export const classicScript = (entry: string, name: string, fileName: string) =>
  defineConfig({
    root: here,
    publicDir: false,
    build: {
      outDir: resolve(here, 'dist/static'),
      emptyOutDir: false,
      lib: { entry: resolve(here, entry), formats: ['iife'], name, fileName: () => fileName },
    },
  });
