import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

/** Files the explorer needs, served from node_modules: nothing is fetched from a CDN. */
const ASSETS: Record<string, { file: string; type: string }> = {
  'react.js': { file: path.join(packageDir('react'), 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { file: path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { file: path.join(packageDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { file: path.join(packageDir('graphiql'), 'graphiql.min.css'), type: 'text/css' },
};

const PAGE = `<!doctype html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>School visits API explorer</title>
  <link rel="stylesheet" href="/graphiql/assets/graphiql.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading the explorer…</div>
  <script src="/graphiql/assets/react.js"></script>
  <script src="/graphiql/assets/react-dom.js"></script>
  <script src="/graphiql/assets/graphiql.js"></script>
  <script src="/graphiql/start.js"></script>
</body>
</html>`;

const START = `(function () {
  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  var defaultQuery = [
    '# Schools, visits and notes of visit. Press the run button (or Ctrl+Enter).',
    '{',
    '  visits(first: 5) {',
    '    totalCount',
    '    nodes { startsAt type status school { name dfeNumber } leadPartner { name } note { status draftDueOn } }',
    '  }',
    '}',
  ].join('\\n');
  // Every request needs a bearer token: the headers pane opens ready for one (npm run dev-token -- --role manager).
  var defaultHeaders = '{\\n  "Authorization": "Bearer paste the last line of: npm run dev-token -- --role manager"\\n}';
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: defaultQuery,
    defaultHeaders: defaultHeaders,
    defaultEditorToolsVisibility: 'headers',
    shouldPersistHeaders: true,
  }));
})();`;

/** GraphiQL, bundled from npm and served by the API in development. */
export function graphiqlRouter(): Router {
  const router = express.Router();
  router.get('/graphiql', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/graphiql/start.js', (_req, res) => {
    res.type('text/javascript').send(START);
  });
  router.get('/graphiql/assets/:name', (req, res, next) => {
    const asset = ASSETS[req.params.name];
    if (!asset) return next();
    res.type(asset.type).sendFile(asset.file, { maxAge: '1h' });
  });
  return router;
}
