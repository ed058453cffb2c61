import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

/**
 * One build for every page the API serves: the Outlook task pane, the Teams tab,
 * the API explorer, and the development pages that host the pane and the tab
 * beside a simulated Outlook or Teams. Pages are served by the API (see
 * api/src/http/front-end.router.ts); assets live under /addin/assets.
 */
export default defineConfig({
  root: here,
  base: '/addin/',
  publicDir: resolve(here, 'public'),
  plugins: [react()],
  build: {
    outDir: resolve(here, 'dist'),
    emptyOutDir: true,
    reportCompressedSize: true,
    manifest: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // GraphiQL's react-compiler-runtime starts with "use no memo", a hint for the React
      // compiler that bundling drops harmlessly; the warning would be noise in every build.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE' && log.id?.includes('react-compiler-runtime')) return;
        handler(level, log);
      },
      input: {
        outlook: resolve(here, 'outlook.html'),
        teams: resolve(here, 'teams.html'),
        explorer: resolve(here, 'explorer.html'),
        'dev-outlook': resolve(here, 'dev-outlook.html'),
        'dev-teams': resolve(here, 'dev-teams.html'),
      },
    },
  },
});
