import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import MarkdownIt from 'markdown-it';
import type { AppConfig } from '../platform/config.js';
import { ACCESSIBILITY_STATEMENT_PATH, page as schoolPage, raw } from '../school-side/pages.js';

/**
 * The checkout's root: the nearest folder above this file holding the repository's lock file.
 * This file runs from api/src (tests) and from api/dist/src (built), one level deeper, so a
 * fixed number of `..` would be right for only one of them.
 */
const ROOT = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package-lock.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

/** Where `npm run build:addin` (Vite) writes the task pane, the Teams tab, the explorer and the dev pages. */
export const FRONT_END_DIST = path.join(ROOT, 'addin', 'dist');

/** What the front ends need to know at run time, so one build serves every council's deployment. */
export interface FrontEndConfig {
  apiUrl: string;
  signIn: { kind: 'development' } | { kind: 'entra'; clientId: string | null; apiScope: string };
}

export function frontEndConfig(config: AppConfig): FrontEndConfig {
  return {
    apiUrl: '/graphql',
    signIn: config.auth.devIssuer
      ? { kind: 'development' }
      : { kind: 'entra', clientId: config.frontEnd.clientId, apiScope: `api://${config.auth.clientId}/access_as_user` },
  };
}

/** The accessibility statement: one text, kept in docs/ and served to the people it is for. */
export const ACCESSIBILITY_STATEMENT = path.join(ROOT, 'docs', 'accessibility.md');

/** The statement as a page in the school's pages' look; its markdown is ours, and raw HTML in it is escaped all the same. */
function accessibilityStatementPage(): string {
  const markdown = readFileSync(ACCESSIBILITY_STATEMENT, 'utf8');
  const title = /^# (.+)$/m.exec(markdown)?.[1] ?? 'Accessibility statement';
  return schoolPage(title, raw(new MarkdownIt({ html: false }).render(markdown)));
}

const NOT_BUILT_STATEMENT = `<!doctype html><html lang="en-GB"><meta charset="utf-8"><title>Accessibility statement</title>
<p>The accessibility statement is not installed with this copy of the service: it is docs/accessibility.md in the service's code.</p></html>`;

const NOT_BUILT = `<!doctype html><html lang="en-GB"><meta charset="utf-8"><title>Not built</title>
<p>The front ends have not been built yet: run <code>npm run build</code> (or <code>npm start</code>, which builds them).</p></html>`;

/**
 * Serves the built front ends: the Outlook task pane and the Teams tab under /addin,
 * the API explorer at /graphiql, and in development the pages that host the pane
 * and the tab beside a simulated appointment or Teams frame.
 */
export function frontEndRouter(config: AppConfig, options: { devPages: boolean }): Router {
  const router = express.Router();
  const page =
    (file: string): express.RequestHandler =>
    (_req, res) => {
      const full = path.join(FRONT_END_DIST, file);
      if (!existsSync(full)) return void res.status(503).type('html').send(NOT_BUILT);
      // Pages are small and must pick up a new build at once; their hashed assets are cached.
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(full);
    };

  router.get(ACCESSIBILITY_STATEMENT_PATH, (_req, res) => {
    res.set({
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
      'cache-control': 'no-cache',
    });
    // A deployment that left docs/ behind answers "not found", never a 500.
    if (!existsSync(ACCESSIBILITY_STATEMENT)) return void res.status(404).type('html').send(NOT_BUILT_STATEMENT);
    res.type('html').send(accessibilityStatementPage());
  });
  router.get('/addin/config.json', (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    res.json(frontEndConfig(config));
  });
  router.get('/addin/outlook/taskpane.html', page('outlook.html'));
  router.get('/addin/teams/tab.html', page('teams.html'));
  router.get('/addin/support.html', page('support.html'));
  router.get('/addin/manifest.xml', page('manifest.xml'));
  router.use('/addin/assets', express.static(path.join(FRONT_END_DIST, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  router.use('/addin/static', express.static(path.join(FRONT_END_DIST, 'static'), { maxAge: '1h', fallthrough: false }));
  if (config.graphiql) router.get('/graphiql', page('explorer.html'));
  if (options.devPages) {
    router.get('/dev/outlook', page('dev-outlook.html'));
    router.get('/dev/teams', page('dev-teams.html'));
  }
  return router;
}
