import { readFile } from 'node:fs/promises';
import { buildSchema, findBreakingChanges } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildApiSchema, printApiSchema } from '../src/app/schema.js';

describe('schema/schema.graphql', () => {
  it('is exactly the schema the server runs (run `npm run schema:emit` after changing it)', async () => {
    const checkedIn = await readFile('schema/schema.graphql', 'utf8');
    const running = printApiSchema(await buildApiSchema());
    expect(running).toBe(checkedIn);
  });

  it('has no breaking change against the checked-in contract', async () => {
    const checkedIn = buildSchema(await readFile('schema/schema.graphql', 'utf8'));
    expect(findBreakingChanges(checkedIn, await buildApiSchema())).toEqual([]);
  });
});
