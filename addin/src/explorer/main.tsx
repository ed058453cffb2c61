import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { buildSchema, graphql } from 'graphql';
import 'graphiql/graphiql.css';
import { createRoot } from 'react-dom/client';
import { loadFrontEndConfig } from '../shared/app-config.js';
import { DevTokenProvider, listDevPeople } from '../shared/auth/dev-token-provider.js';

const defaultQuery = [
  '# Schools, visits and notes of visit. Press the run button (or Ctrl+Enter).',
  '{',
  '  visits(first: 5) {',
  '    totalCount',
  '    nodes { startsAt type status school { name dfeNumber } leadPartner { name } note { status draftDueOn } }',
  '  }',
  '}',
].join('\n');

/**
 * Every request needs a bearer token. On a development server the explorer opens
 * signed in as the first manager (a development token); elsewhere the headers pane
 * says where a token comes from.
 */
async function startingHeaders(): Promise<Record<string, string> | null> {
  try {
    const config = await loadFrontEndConfig();
    if (config.signIn.kind !== 'development') return null;
    const manager = (await listDevPeople()).find((p) => p.role === 'manager');
    if (!manager) return null;
    const token = await new DevTokenProvider(() => manager.email).getToken();
    return { Authorization: `Bearer ${token}` };
  } catch {
    return null;
  }
}

const PLACEHOLDER_HEADERS = '{\n  "Authorization": "Bearer paste the last line of: npm run dev-token -- --role manager"\n}';

/**
 * GraphiQL's editors (CodeMirror 5) take typing through a hidden textarea that has no
 * label (WCAG 4.1.2): each is named after the section around it ("Query Editor",
 * "Variables", "Headers"), the response after what it shows. Kept up as GraphiQL
 * re-renders and switches between variables and headers.
 */
function nameEditors(container: HTMLElement) {
  for (const input of container.querySelectorAll<HTMLTextAreaElement>('.CodeMirror textarea')) {
    const name = input.closest('section[aria-label]')?.getAttribute('aria-label') ?? (input.closest('.graphiql-response') ? 'Response' : 'Editor');
    if (input.getAttribute('aria-label') !== name) input.setAttribute('aria-label', name);
  }
}

/**
 * GraphiQL's fetcher, signed in from the start; its schema request falls back to the SDL.
 * Where introspection is off (production, with GRAPHIQL=on), the server refuses GraphiQL's schema
 * request and publishes the schema at GET /schema.graphql instead: the explorer reads it with the
 * headers pane's token and answers GraphiQL's own introspection query from it in the page, so the
 * documentation and completion work, and "Re-fetch GraphQL schema" works after a token is pasted.
 */
function explorerFetcher(headers: Record<string, string> | null): Fetcher {
  // The fetcher carries the starting token too: GraphiQL asks for the schema before its headers
  // pane is read, and without it the schema (documentation, completion) never loaded. What the
  // pane says still wins for every query.
  const server = createGraphiQLFetcher({ url: '/graphql', headers: headers ?? undefined });
  return async (params, options) => {
    const answer = await server(params, options);
    // Only a refused schema request (an answer with errors and no schema); a stream is a query's own.
    const refused = typeof answer === 'object' && answer !== null && 'errors' in answer && !(answer.data && '__schema' in answer.data);
    if (params.operationName !== 'IntrospectionQuery' || !refused) return answer;
    const sdl = await fetch('/schema.graphql', { headers: { ...headers, ...options?.headers } });
    if (!sdl.ok) return answer; // GraphiQL shows the server's own refusal (e.g. "Sign in first")
    return graphql({ schema: buildSchema(await sdl.text()), source: params.query, operationName: params.operationName });
  };
}

/**
 * The documentation is open on first open: the schema is what a newcomer comes to read. GraphiQL 4's
 * `visiblePlugin` prop marks the docs visible but leaves their pane collapsed (the pane's size is
 * settled at the first render, before the prop is applied), so the explorer presses GraphiQL's own
 * sidebar button once, as a person would. True once pressed.
 */
function openDocs(container: HTMLElement): boolean {
  const button = container.querySelector<HTMLButtonElement>('button[aria-label="Show Documentation Explorer"]');
  button?.click();
  return !!button;
}

const container = document.getElementById('root')!;
let docsOpened = false;
new MutationObserver(() => {
  nameEditors(container);
  if (!docsOpened) docsOpened = openDocs(container);
}).observe(container, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-label'] });
const root = createRoot(container);
startingHeaders().then((headers) =>
  root.render(
    <GraphiQL
      fetcher={explorerFetcher(headers)}
      inputValueDeprecation
      schemaDescription
      defaultQuery={defaultQuery}
      defaultHeaders={headers ? JSON.stringify(headers, null, 2) : PLACEHOLDER_HEADERS}
      defaultEditorToolsVisibility="headers"
    >
      {/* The page's one h1, where GraphiQL puts its logo. */}
      <GraphiQL.Logo>
        <h1 className="explorer-title">School visits API explorer</h1>
      </GraphiQL.Logo>
    </GraphiQL>,
  ),
);
