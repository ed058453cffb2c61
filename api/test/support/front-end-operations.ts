import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gqlPluckFromCodeStringSync } from '@graphql-tools/graphql-tag-pluck';
import {
  getNamedType,
  isObjectType,
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * The GraphQL operations the Outlook add-in and the Teams app send, read from their
 * sources as graphql-codegen reads them (addin/codegen.yml: every src/**\/*.{ts,tsx}
 * but the generated folder, `graphql(\`…\`)` documents plucked by graphql-tag-pluck,
 * fragments shared across files). Never copied by hand: a field added to a front end
 * is a field these tests send.
 */

const ADDIN_SRC = path.resolve(import.meta.dirname, '../../../addin/src');
const GENERATED = `shared${path.sep}graphql${path.sep}generated${path.sep}`;

export interface FrontEndOperation {
  name: string;
  kind: 'query' | 'mutation' | 'subscription';
  /** Where it is written, relative to addin/src. */
  file: string;
  operation: OperationDefinitionNode;
  /** Every fragment of the front ends, by name (codegen puts them in one namespace). */
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** The names of its root fields, in order (aliases resolved to the field). */
  rootFields: string[];
}

export function frontEndOperations(): FrontEndOperation[] {
  const files = (readdirSync(ADDIN_SRC, { recursive: true }) as string[])
    .filter((f) => /\.(ts|tsx)$/.test(f) && !f.startsWith(GENERATED) && !f.endsWith('.d.ts'))
    .sort();
  const operations: Omit<FrontEndOperation, 'fragments'>[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const file of files) {
    const code = readFileSync(path.join(ADDIN_SRC, file), 'utf8');
    for (const source of gqlPluckFromCodeStringSync(file, code)) {
      for (const definition of parse(source.body).definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) {
          if (fragments.has(definition.name.value)) throw new Error(`fragment ${definition.name.value} is defined twice in addin/src`);
          fragments.set(definition.name.value, definition);
        } else if (definition.kind === Kind.OPERATION_DEFINITION) {
          if (!definition.name) throw new Error(`an anonymous operation in addin/src/${file}: codegen needs a name`);
          operations.push({
            name: definition.name.value,
            kind: definition.operation,
            file,
            operation: definition,
            rootFields: rootFieldsOf(definition.selectionSet, fragments),
          });
        }
      }
    }
  }
  const names = operations.map((o) => o.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length) throw new Error(`operations named twice in addin/src: ${twice.join(', ')}`);
  // root fields again, now that every file's fragments are known
  return operations.map((o) => ({ ...o, fragments, rootFields: rootFieldsOf(o.operation.selectionSet, fragments) }));
}

function rootFieldsOf(set: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): string[] {
  const names: string[] = [];
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) names.push(s.name.value);
    else if (s.kind === Kind.INLINE_FRAGMENT) names.push(...rootFieldsOf(s.selectionSet, fragments));
    else {
      const fragment = fragments.get(s.name.value);
      if (fragment) names.push(...rootFieldsOf(fragment.selectionSet, fragments));
    }
  }
  return [...new Set(names)];
}

/** The fragments a selection uses, transitively. */
function fragmentsUsed(
  node: OperationDefinitionNode | FragmentDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  into = new Map<string, FragmentDefinitionNode>(),
) {
  visit(node, {
    FragmentSpread(spread) {
      const name = spread.name.value;
      if (into.has(name)) return;
      const fragment = fragments.get(name);
      if (!fragment) throw new Error(`fragment ${name} is not defined in addin/src`);
      into.set(name, fragment);
      fragmentsUsed(fragment, fragments, into);
    },
  });
  return into;
}

/** The whole operation as the front end sends it (with the fragments it uses). */
export function documentOf(op: FrontEndOperation): string {
  const doc: DocumentNode = { kind: Kind.DOCUMENT, definitions: [op.operation, ...fragmentsUsed(op.operation, op.fragments).values()] };
  return print(doc);
}

/**
 * The operation asking for one of its root fields only, exactly as written (its
 * selection, fragments and arguments; the variables that field uses). Whether a
 * query takes its read views is decided per root field, from that field's selection
 * (selectionWithin), so this is how the front end's request reaches that field.
 */
export function documentForRootField(op: FrontEndOperation, field: string): string {
  const selections = op.operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD && s.name.value === field);
  if (!selections.length) throw new Error(`${op.name} has no root field ${field} (written directly, not through a fragment)`);
  const used = new Set<string>();
  const narrowed: OperationDefinitionNode = { ...op.operation, selectionSet: { kind: Kind.SELECTION_SET, selections } };
  const fragments = fragmentsUsed(narrowed, op.fragments);
  for (const node of [narrowed, ...fragments.values()]) {
    visit(node.selectionSet, { Variable: (v) => void used.add(v.name.value) });
  }
  const operation = { ...narrowed, variableDefinitions: op.operation.variableDefinitions?.filter((d) => used.has(d.variable.name.value)) };
  return print({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments.values()] });
}

/** The variables a document declares (to send the front end's variables to a narrowed document). */
export function declaredVariables(document: string): string[] {
  const op = parse(document).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return (op.variableDefinitions ?? []).map((d) => d.variable.name.value);
}

/** Walks a root field's selection with its types: `(type, field)` for every field it asks for. */
function walkRootField(schema: GraphQLSchema, op: FrontEndOperation, root: string, each: (type: GraphQLObjectType, field: FieldNode) => void): void {
  const rootType = op.kind === 'mutation' ? schema.getMutationType()! : op.kind === 'subscription' ? schema.getSubscriptionType()! : schema.getQueryType()!;
  const seen = new Set<string>();
  const walk = (type: GraphQLOutputType, set: SelectionSetNode | undefined) => {
    const named = getNamedType(type);
    if (!set || !isObjectType(named)) return;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value === '__typename') continue;
        const field = named.getFields()[s.name.value];
        if (!field) throw new Error(`${op.name}: ${named.name}.${s.name.value} is not in the API's schema`);
        each(named, s);
        walk(field.type, s.selectionSet);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        walk(s.typeCondition ? (schema.getType(s.typeCondition.name.value) as GraphQLObjectType) : named, s.selectionSet);
      } else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const fragment = op.fragments.get(s.name.value)!;
        walk(schema.getType(fragment.typeCondition.name.value) as GraphQLObjectType, fragment.selectionSet);
      }
    }
  };
  const selections = op.operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD && s.name.value === root);
  walk(rootType, { kind: Kind.SELECTION_SET, selections });
}

/** The GraphQL types a root field's selection reaches (its own type included). */
export function typesReached(schema: GraphQLSchema, op: FrontEndOperation, root: string): Set<string> {
  const types = new Set<string>();
  walkRootField(schema, op, root, (type, field) => {
    types.add(type.name);
    types.add(getNamedType(type.getFields()[field.name.value]!.type).name);
  });
  return types;
}

/**
 * The field resolvers ("Type.field") a root field's selection reaches that `allowed`
 * (a *_VIEW_FIELDS map) does not serve: why selectionWithin would send it to the ORM.
 * For messages only; the tests judge the path by the SQL sent.
 */
export function resolversOutside(
  schema: GraphQLSchema,
  op: FrontEndOperation,
  root: string,
  resolvers: ReadonlySet<string>,
  allowed: ReadonlyMap<string, readonly string[]>,
): string[] {
  const outside = new Set<string>();
  let first = true;
  walkRootField(schema, op, root, (type, field) => {
    if (first) return void (first = false); // the root field itself
    const key = `${type.name}.${field.name.value}`;
    if (resolvers.has(key) && !allowed.has(key)) outside.add(key);
  });
  return [...outside].sort();
}
