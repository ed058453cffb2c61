import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/graphiql.css';
import { createRoot } from 'react-dom/client';

const defaultQuery = [
  '# Schools, visits and notes of visit. Press the run button (or Ctrl+Enter).',
  '{',
  '  visits(first: 5) {',
  '    totalCount',
  '    nodes { startsAt type status school { name dfeNumber } leadPartner { name } note { status draftDueOn } }',
  '  }',
  '}',
].join('\n');

// Every request needs a bearer token: the headers pane opens ready for one.
const defaultHeaders = '{\n  "Authorization": "Bearer paste the last line of: npm run dev-token -- --role manager"\n}';

createRoot(document.getElementById('root')!).render(
  <GraphiQL
    fetcher={createGraphiQLFetcher({ url: '/graphql' })}
    defaultQuery={defaultQuery}
    defaultHeaders={defaultHeaders}
    defaultEditorToolsVisibility="headers"
    shouldPersistHeaders
  />,
);
