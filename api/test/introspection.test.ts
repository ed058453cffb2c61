import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  buildClientSchema,
  buildSchema,
  findBreakingChanges,
  findDangerousChanges,
  getIntrospectionQuery,
  isScalarType,
  type IntrospectionQuery,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printApiSchema } from '../src/app/schema.js';
import { Partner } from '../src/partners/partner.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { ServiceRole } from '../src/platform/auth/principal.js';
import { QUERY_LIMITS } from '../src/platform/graphql/limits.plugin.js';
import { CURRENT_FILE, REPO_ROOT } from '../../scripts/schema/breaking-changes.mjs';
import { FakeEntra } from './support/fake-entra.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 23: the tools council data teams use (GraphiQL, graphql-codegen, Postman, Insomnia, Rover)
 * read the schema. In development (and NODE_ENV=test) by the standard introspection query; in
 * production, where introspection is off, from GET /schema.graphql with the same token.
 */

/** The introspection query graphql-js's tools send, with every option they turn on. */
const STANDARD_INTROSPECTION = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
});

const checkedInSdl = () => readFile(path.join(REPO_ROOT, CURRENT_FILE), 'utf8');

/** Breaking and dangerous changes from `a` to `b` and back (graphql-js): none may be found between equal contracts. */
function differences(a: string, b: string): string[] {
  const [x, y] = [buildSchema(a), buildSchema(b)];
  return [...findBreakingChanges(x, y), ...findDangerousChanges(x, y), ...findBreakingChanges(y, x), ...findDangerousChanges(y, x)].map((c) => c.description);
}

/**
 * graphql-codegen's CLI run against `pointer` (a URL, with the loader's `options`), printing the schema it
 * loads with @graphql-codegen/schema-ast, sorted as the checked-in file is; returns what it wrote.
 */
async function codegenSchema(pointer: string, options: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'codegen-'));
  try {
    const out = path.join(dir, 'schema.graphql');
    const config = { overwrite: true, schema: [{ [pointer]: options }], generates: { [out]: { plugins: ['schema-ast'], config: { sort: true } } } };
    await writeFile(path.join(dir, 'codegen.json'), JSON.stringify(config));
    // Run from the repository, where codegen finds its plugins (@graphql-codegen/schema-ast).
    const bin = path.join(REPO_ROOT, 'node_modules/@graphql-codegen/cli/cjs/bin.js');
    await promisify(execFile)(process.execPath, [bin, '--config', path.join(dir, 'codegen.json'), '--errors-only'], { cwd: REPO_ROOT }).catch(
      (error: Error & { stdout?: string; stderr?: string }) => {
        throw new Error(`graphql-codegen failed: ${error.stdout ?? ''}${error.stderr ?? ''}`, { cause: error });
      },
    );
    return await readFile(out, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('introspection in development (NODE_ENV=test)', () => {
  let t: TestApp;
  let serviceToken: string;
  beforeAll(async () => {
    t = await startTestApp();
    serviceToken = await t.serviceToken('finance');
  });
  afterAll(() => t?.stop());

  const introspect = async (token: string) => {
    const res = await t.post(JSON.stringify({ query: STANDARD_INTROSPECTION, operationName: 'IntrospectionQuery' }), { token });
    return { status: res.status, body: (await res.json()) as { data?: IntrospectionQuery; errors?: { message: string }[] } };
  };

  it('answers the standard introspection query for a manager, a partner and a service, past the depth limit for data', async () => {
    // The standard query nests type references deeper than data may go: introspection is not counted as data.
    expect(QUERY_LIMITS.maxDepth).toBeLessThan(15);
    const partner = await t.personWithRole(PartnerRole.PARTNER);
    for (const token of [t.managerToken, partner.token, serviceToken]) {
      const { status, body } = await introspect(token);
      expect(body.errors).toBeUndefined();
      expect(status).toBe(200);
      expect(body.data!.__schema.queryType.name).toBe('Query');
    }
  });

  it('carries descriptions, deprecation and specifiedByURL, and gives back exactly the checked-in schema', async () => {
    const { body } = await introspect(t.managerToken);
    const types = body.data!.__schema.types;
    const query = types.find((type) => type.name === 'Query');
    if (query?.kind !== 'OBJECT') throw new Error('no Query type');
    expect(query.fields.find((f) => f.name === 'schools')?.description).toBeTruthy();
    // Deprecation is asked for everywhere the option allows: fields, enum values, arguments, input fields.
    expect(query.fields.every((f) => typeof f.isDeprecated === 'boolean')).toBe(true);
    expect(query.fields.flatMap((f) => f.args).every((a) => typeof a.isDeprecated === 'boolean')).toBe(true);
    const specifiedBy = Object.fromEntries(
      types.filter((type) => type.kind === 'SCALAR').map((type) => [type.name, 'specifiedByURL' in type ? type.specifiedByURL : undefined]),
    );
    expect(specifiedBy).toMatchObject({
      DateTime: 'https://datatracker.ietf.org/doc/html/rfc3339',
      Date: 'https://datatracker.ietf.org/doc/html/rfc3339#section-5.6',
    });

    // What a tool builds from the answer prints as the contract does, to the byte.
    const client = buildClientSchema(body.data!);
    expect(isScalarType(client.getType('Date')) && client.getType('Date')).toHaveProperty('specifiedByURL', specifiedBy.Date);
    expect(printApiSchema(client)).toBe(await checkedInSdl());
  });

  it('serves GET /schema.graphql to a person and a service, and answers 401 without a token', async () => {
    for (const token of [t.managerToken, serviceToken]) {
      const res = await fetch(`${t.url}/schema.graphql`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(await checkedInSdl());
    }
    const anonymous = await fetch(`${t.url}/schema.graphql`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('reproduces schema/schema.graphql with graphql-codegen run against the server (URL and Authorization header)', { timeout: 120_000 }, async () => {
    // A service's token, as a council data team's build would hold. The loader's introspection options are
    // graphql-js's getIntrospectionQuery options; codegen leaves specifiedByUrl off unless asked (then the
    // scalars' @specifiedBy would be missing: a real difference).
    const generated = await codegenSchema(`${t.url}/graphql`, {
      headers: { Authorization: `Bearer ${serviceToken}` },
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      inputValueDeprecation: true,
    });
    const checkedIn = await checkedInSdl();
    // The one difference between the two printers: codegen writes its output without the final newline
    // printApiSchema adds (a file ends with one). Nothing else is normalised.
    expect(`${generated}\n`).toBe(checkedIn);
    expect(differences(checkedIn, generated)).toEqual([]);
  });
});

describe('introspection in production', () => {
  let t: TestApp;
  let entra: FakeEntra;
  let personToken: string;
  let serviceToken: string;
  beforeAll(async () => {
    entra = await new FakeEntra().start();
    t = await startTestApp({
      config: { env: 'production', graphiql: false, auth: { tenants: [entra.tenant], jwksUri: entra.jwksUri, devIssuer: null } as never },
    });
    const manager = await t.app.orm.em.fork().findOneOrFail(Partner, { role: PartnerRole.MANAGER });
    const audience = t.config.auth.clientId;
    personToken = await entra.sign({ preferred_username: manager.email, scp: 'access_as_user' }, { audience });
    serviceToken = await entra.sign({ roles: [ServiceRole.READ], azp: 'finance', app_displayname: 'Finance' }, { audience });
  });
  afterAll(async () => {
    await t?.stop();
    await entra?.stop();
  });

  it('refuses the standard introspection query, pointing to GET /schema.graphql, and still answers __typename', async () => {
    for (const token of [personToken, serviceToken]) {
      const res = await t.gql(STANDARD_INTROSPECTION, {}, { token });
      expect(res.status).toBe(400);
      expect(res.data ?? null).toBeNull();
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toBe(
        'Introspection is off on this server. The schema is published as SDL at GET /schema.graphql: send the same Authorization header as to /graphql.',
      );
    }
    expect((await t.gql('{ __typename }', {}, { token: personToken })).data).toEqual({ __typename: 'Query' });
  });

  it('serves GET /schema.graphql byte for byte as schema/schema.graphql, with an ETag and Cache-Control, to a person and a service', async () => {
    const checkedIn = await checkedInSdl();
    for (const token of [personToken, serviceToken]) {
      const res = await fetch(`${t.url}/schema.graphql`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('private, no-cache');
      expect(await res.text()).toBe(checkedIn);
      const etag = res.headers.get('etag');
      expect(etag).toMatch(/^"[\w-]{43}"$/);
      // Asked again with its ETag: not modified, no body. (max-age=0 as a browser revalidates: without a
      // Cache-Control of its own, fetch adds "no-cache" to a conditional request, which asks for the body.)
      const again = await fetch(`${t.url}/schema.graphql`, {
        headers: { authorization: `Bearer ${token}`, 'if-none-match': etag!, 'cache-control': 'max-age=0' },
      });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
    }
  });

  it(
    'gives graphql-codegen the checked-in schema from GET /schema.graphql (the URL of the file, with the Authorization header)',
    { timeout: 120_000 },
    async () => {
      const generated = await codegenSchema(`${t.url}/schema.graphql`, { headers: { Authorization: `Bearer ${serviceToken}` } });
      expect(`${generated}\n`).toBe(await checkedInSdl());
    },
  );

  it('answers GET /schema.graphql with 401 without a token or with a token not for this API', async () => {
    const anonymous = await fetch(`${t.url}/schema.graphql`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    const wrongAudience = await entra.sign({ roles: [ServiceRole.READ], azp: 'finance' }, { audience: 'api://someone-else' });
    expect((await fetch(`${t.url}/schema.graphql`, { headers: { authorization: `Bearer ${wrongAudience}` } })).status).toBe(401);
  });
});
