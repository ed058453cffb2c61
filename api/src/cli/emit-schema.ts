/** Writes the server's GraphQL schema to schema/schema.graphql (npm run schema:emit). */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildApiSchema, printApiSchema } from '../app/schema.js';

const target = path.resolve('schema/schema.graphql');
await writeFile(target, printApiSchema(await buildApiSchema()));
console.log(`Wrote ${path.relative(process.cwd(), target)}`);
