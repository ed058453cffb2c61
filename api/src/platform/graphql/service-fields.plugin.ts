import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { AppError, ErrorCode } from '../errors.js';
import type { GraphQLContext } from './context.js';

/**
 * What a service (another council system, signed in with app roles) may read of one field:
 * `allow`: any service; `{ grant }`: only a service granted that app role; `deny`: no service.
 */
export type ServiceFieldRule = 'allow' | 'deny' | { grant: string };

/** Every field of every output type, as "Type.field" → its rule (the app's one definition: app/service-fields.ts). */
export type ServiceFieldPolicy = ReadonlyMap<string, ServiceFieldRule>;

/** A refusal before anything runs: 403, as the downloads answer a refusal. */
const refused = (message: string) => new AppError(ErrorCode.FORBIDDEN, message, { http: { status: 403 } });

/** At most this many refused fields are named in one answer (the rest are the same kind of mistake). */
const NAMED = 5;

/**
 * The fields an operation selects (its fragments and inline fragments too), as "Type.field",
 * the type being the one the field is selected on (an interface's field, on the interface).
 * Meta fields (__typename, introspection) are not data and are left out.
 */
export function selectedFields(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): Set<string> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const found = new Set<string>();
  const walked = new Set<string>();
  const walk = (set: SelectionSetNode | undefined, type: GraphQLNamedType | null | undefined) => {
    if (!set || !type || !(isObjectType(type) || isInterfaceType(type))) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        const field = type.getFields()[name];
        if (!field) continue; // validation has refused an unknown field already
        found.add(`${type.name}.${name}`);
        walk(selection.selectionSet, getNamedType(field.type));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type);
      } else {
        const fragment = fragments.get(selection.name.value);
        // each fragment once: a fragment spread many times (or in a cycle, a validation error) is walked once
        if (!fragment || walked.has(fragment.name.value)) continue;
        walked.add(fragment.name.value);
        walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
      }
    }
  };
  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  walk(operation.selectionSet, root);
  return found;
}

/**
 * What a service with these app roles may not read of the fields selected, with why; empty when
 * it may read them all. A field without a rule is refused: forgetting to decide never opens a door.
 */
export function refusedFields(policy: ServiceFieldPolicy, fields: Iterable<string>, roles: ReadonlySet<string>): { field: string; grant: string | null }[] {
  const refusals: { field: string; grant: string | null }[] = [];
  for (const field of fields) {
    const rule = policy.get(field) ?? 'deny';
    if (rule === 'allow') continue;
    if (rule === 'deny') refusals.push({ field, grant: null });
    else if (!roles.has(rule.grant)) refusals.push({ field, grant: rule.grant });
  }
  return refusals;
}

function refusalMessage(refusals: { field: string; grant: string | null }[]): string {
  const named = refusals.slice(0, NAMED).map(({ field, grant }) => (grant ? `${field} needs the ${grant} app role` : `${field} is not for services`));
  const more = refusals.length > NAMED ? ` (and ${refusals.length - NAMED} more)` : '';
  return `This service may not read every field asked for: ${named.join('; ')}${more}. Ask for fewer fields, or ask the council to grant the app role (docs/api.md).`;
}

/**
 * Services read an explicit allow-list of fields (issue 20): before anything executes (so the
 * read views and the ORM's path alike), each field a service's operation selects, through any
 * fragment, is checked against the policy, and the operation is refused with FORBIDDEN naming
 * the fields and the app roles they need. People are not affected: their access is per record
 * (auth/access-policy.ts). Mutations are refused to services here too, they only read: all but
 * those the policy allows by name (`Mutation.<name>` → allow: a service's own webhooks).
 */
export function serviceFieldAllowList(policy: ServiceFieldPolicy): ApolloServerPlugin<GraphQLContext> {
  // The fields a parsed document's operation selects: Apollo hands the same document object to
  // every request with the same text, so they are worked out once per document and operation.
  const selected = new WeakMap<DocumentNode, Map<OperationDefinitionNode, Set<string>>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operation, schema }) {
          const { principal } = contextValue;
          // no operation resolved is refused by Apollo itself before this
          if (principal.kind !== 'service' || !operation) return;
          let byOperation = selected.get(document);
          if (!byOperation) selected.set(document, (byOperation = new Map()));
          let fields = byOperation.get(operation);
          if (!fields) byOperation.set(operation, (fields = selectedFields(schema, document, operation)));
          // Services only read, but for the mutations the policy allows them by name (a service manages its own webhooks).
          const writes = operation.operation === 'mutation' ? [...fields].filter((f) => f.startsWith('Mutation.')) : [];
          if (operation.operation === 'subscription' || writes.some((f) => policy.get(f) !== 'allow'))
            throw refused('Services can read through this API but not change anything.');
          const refusals = refusedFields(policy, fields, principal.roles);
          if (refusals.length) throw refused(refusalMessage(refusals));
        },
      };
    },
  };
}
