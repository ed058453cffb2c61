import { ApolloServer } from '@apollo/server';
import {
  buildSchema as buildSdl,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
  type OperationDefinitionNode,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilable, compiledExecution } from '../src/platform/graphql/compiled-execution.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { FULL_NOTE, OVERDUE_REPORT, PARTNER_VISITS } from '../../scripts/bench/queries.mjs';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Queries run compiled by graphql-jit (graphql/compiled-execution.ts) must answer
 * exactly as graphql-js does: two servers over two copies of the same database, one
 * compiling (the default) and one with GRAPHQL_COMPILED=off, are sent the same
 * requests, and their statuses and bodies must be equal: data, errors with their
 * paths, locations and codes, null propagation, refused variables.
 */
let compiled: TestApp;
let interpreted: TestApp;
let partnerTokens: [string, string];
let noteId: string;
let otherPartnersNoteId: string;

beforeAll(async () => {
  [compiled, interpreted] = await Promise.all([startTestApp(), startTestApp({ config: { graphqlCompiled: false } })]);
  const partners = await Promise.all([compiled.personWithRole(PartnerRole.PARTNER), interpreted.personWithRole(PartnerRole.PARTNER)]);
  partnerTokens = [partners[0].token, partners[1].token];
  // Completed visits: at the start of the autumn term the latest hundred are all booked (TEST_NOW), with no notes.
  const page = await compiled.gql(`{ visits(first: 100, filter: { status: [COMPLETED] }) { nodes { note { id author { id } } } } }`);
  const notes = (page.data!.visits.nodes as { note: { id: string; author: { id: string } } | null }[]).flatMap((v) => (v.note ? [v.note] : []));
  noteId = notes[0]!.id;
  otherPartnersNoteId = notes.find((n) => n.author.id !== partners[0].partner.id)!.id;
});
afterAll(async () => {
  await Promise.all([compiled?.stop(), interpreted?.stop()]);
});

/** The same request to both servers (each with its own token): status and body. */
async function both(query: string, variables: Record<string, unknown> = {}, as: 'manager' | 'partner' = 'manager', operationName?: string) {
  const send = async (t: TestApp, token: string) => {
    const res = await t.post(JSON.stringify({ query, variables, operationName }), { token });
    return { status: res.status, body: (await res.json()) as any };
  };
  const [a, b] = await Promise.all([
    send(compiled, as === 'manager' ? compiled.managerToken : partnerTokens[0]),
    send(interpreted, as === 'manager' ? interpreted.managerToken : partnerTokens[1]),
  ]);
  return { compiled: a, interpreted: b };
}

async function expectSameAnswer(query: string, variables: Record<string, unknown> = {}, as: 'manager' | 'partner' = 'manager', operationName?: string) {
  const { compiled: a, interpreted: b } = await both(query, variables, as, operationName);
  expect(a).toEqual(b);
  return a;
}

describe('compiled queries answer as graphql-js does', () => {
  it("a partner's visit list, a note in full and the overdue report (the benchmark's requests)", async () => {
    const list = await expectSameAnswer(PARTNER_VISITS, { first: 50 }, 'partner');
    expect(list.body.data.visits.nodes.length).toBeGreaterThan(0);
    const note = await expectSameAnswer(FULL_NOTE, { id: noteId });
    expect(note.body.data.note.judgements.length).toBeGreaterThan(0);
    await expectSameAnswer(OVERDUE_REPORT, { laCode: 926 });
  });

  it('wide selections: fragments, aliases, directives, typenames, nested lists and connections', async () => {
    const query = `query Wide($first: Int!, $withAgenda: Boolean!, $skipNote: Boolean!, $after: String) {
      page: visits(first: $first, after: $after) {
        __typename totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { ...VisitParts } }
      }
      schools(first: 5) { nodes { id name dfeNumber address { __typename } } }
    }
    fragment VisitParts on Visit {
      id startsAt endsAt type status expectsNote noteDraftDueOn noteCirculationDueOn
      school { name dfeNumber }
      agenda @include(if: $withAgenda) { position title }
      note @skip(if: $skipNote) { id status overdue ... on NoteOfVisit { summary judgements { area partnerGrade } } }
    }`;
    const first = await expectSameAnswer(query, { first: 20, withAgenda: true, skipNote: false });
    const cursor = first.body.data.page.pageInfo.endCursor;
    await expectSameAnswer(query, { first: 20, withAgenda: false, skipNote: true, after: cursor });
  });

  it('a note in full with its targets, revisions and moderation (relations only the ORM serves)', async () => {
    await expectSameAnswer(
      `query($id: ID!) { note(id: $id) { id version overdue moderatedBy { name } targets { id measure keyStage } visit { attendees { name } leadPartner { name } } reviews { recommendation { action } } } }`,
      { id: noteId },
    );
  });

  it('errors: not found, bad ids, forbidden, with their paths, locations and codes', async () => {
    const missing = await expectSameAnswer(`query($id: ID!) { note(id: $id) { id } }`, { id: '00000000-0000-4000-8000-000000000000' });
    expect(missing.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const bad = await expectSameAnswer(`query($id: ID!) { a: note(id: $id) { id } b: school(id: $id) { id } }`, { id: 'not-an-id' });
    expect(bad.body.errors.length).toBe(2);
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    // Literals are data in compiled code, never code: quotes, backslashes, line separators.
    const literal = await expectSameAnswer(String.raw`{ note(id: "\"); globalThis.compiledInjection = 1; //\u2028'") { id } }`);
    expect(literal.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((globalThis as { compiledInjection?: number }).compiledInjection).toBeUndefined();
    const forbidden = await expectSameAnswer(FULL_NOTE, { id: otherPartnersNoteId }, 'partner');
    expect(forbidden.body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  });

  it('variables refused with the same words and codes', async () => {
    for (const variables of [{ first: 'x' }, { first: 2 ** 40 }, {}, { first: null }, { first: 1.5 }]) {
      const refused = await expectSameAnswer(PARTNER_VISITS, variables, 'partner');
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
    await expectSameAnswer(`query($id: ID!) { note(id: $id) { id } }`, { id: 12.5 });
    await expectSameAnswer(`query($ids: [ID!]!) { __typename } `, { ids: 'one' });
  });

  it('operations chosen by name, unknown names, and introspection', async () => {
    const two = `query A { __typename } query B { me { name } }`;
    await expectSameAnswer(two, {}, 'manager', 'B');
    await expectSameAnswer(two, {}, 'manager', 'C');
    await expectSameAnswer(`{ __schema { queryType { name } } __type(name: "NoteOfVisit") { fields { name } } }`);
  });

  it('operations with input objects or custom scalars as variables (run on graphql-js in both)', async () => {
    const query = `query($filter: VisitFilter) { visits(first: 10, filter: $filter) { totalCount nodes { id startsAt } } }`;
    await expectSameAnswer(query, { filter: { from: '2020-01-01T00:00:00+00:00' } });
    await expectSameAnswer(query, { filter: { from: 'yesterday' } });
  });
});

describe('which operations are compiled', () => {
  const schema = buildSdl(readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8'));
  const operationOf = (query: string) => parse(query).definitions[0] as OperationDefinitionNode;

  it("compiles the benchmark's requests (variables of built-in scalars only)", () => {
    for (const query of [PARTNER_VISITS, FULL_NOTE, OVERDUE_REPORT]) {
      expect(compilable(schema, operationOf(query))).toBe(true);
      expect(isCompiledQuery(compileQuery(schema, parse(query)))).toBe(true);
    }
  });

  it('leaves input objects, enums and custom scalars to graphql-js, whose coercion graphql-jit does not match', () => {
    expect(compilable(schema, operationOf(`query($f: VisitFilter) { visits(filter: $f) { totalCount } }`))).toBe(false);
    expect(compilable(schema, operationOf(`query($d: Date!) { __typename }`))).toBe(false);
    expect(compilable(schema, operationOf(`query($t: VisitType!) { __typename }`))).toBe(false);
    expect(compilable(schema, operationOf(`query($ids: [ID!]!, $n: Int) { __typename }`))).toBe(true);
  });
});

describe('errors of compiled queries', () => {
  /** The same operation through Apollo with the compiled executor and with graphql-js. */
  async function throughBoth(schema: GraphQLSchema, query: string) {
    const answers = [];
    for (const options of [{ gateway: compiledExecution(schema) }, { schema }]) {
      const server = new ApolloServer({ ...options, includeStacktraceInErrorResponses: false });
      await server.start();
      const res = await server.executeOperation({ query });
      const answer = res.body.kind === 'single' ? res.body.singleResult : null;
      // The order of errors means nothing (graphql-jit lists a rejected promise's after a null's)
      if (answer?.errors) answer.errors = [...answer.errors].sort((a, b) => JSON.stringify(a.path).localeCompare(JSON.stringify(b.path)));
      answers.push(answer);
      await server.stop();
    }
    expect(answers[0]).toEqual(answers[1]);
    return answers[0]!;
  }

  const Item = new GraphQLObjectType({
    name: 'Item',
    fields: {
      name: { type: new GraphQLNonNull(GraphQLString), resolve: (item: { name: string | null }) => item.name },
      note: { type: GraphQLString, resolve: (item: { name: string | null }) => (item.name === 'b' ? Promise.reject(new Error('no note for b')) : 'fine') },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        ok: { type: GraphQLString, resolve: () => 'ok' },
        boom: {
          type: GraphQLString,
          resolve: () => {
            throw new Error('kaput');
          },
        },
        items: { type: new GraphQLList(Item), resolve: () => [{ name: 'a' }, { name: 'b' }, { name: null }] },
        required: { type: new GraphQLNonNull(Item), resolve: () => ({ name: null }) },
      },
    }),
  });

  it("a resolver's unexpected error reaches Apollo's formatting as graphql-js's would (not 'Internal server error')", async () => {
    const answer = await throughBoth(schema, '{ ok boom }');
    expect(answer.errors![0]).toMatchObject({ message: 'kaput', path: ['boom'], locations: [{ line: 1, column: 6 }] });
  });

  it('a null where none may be goes up to the nearest field that may be null, with the same error and path', async () => {
    const inList = await throughBoth(schema, '{ ok items { name note } }');
    expect(inList.data).toEqual({ ok: 'ok', items: [{ name: 'a', note: 'fine' }, { name: 'b', note: null }, null] });
    expect(inList.errors!.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        ['items', 1, 'note'],
        ['items', 2, 'name'],
      ]),
    );
    const atRoot = await throughBoth(schema, '{ ok required { name } }');
    expect(atRoot.data).toBeNull();
  });
});
