import { GraphQLError, type ValidationRule } from 'graphql';

/** Where the server publishes its schema as SDL, for anyone with a token (app/schema-sdl.router.ts). */
export const SDL_PATH = '/schema.graphql';

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/**
 * Refuses introspection (`__schema`, `__type`; `__typename` is data and stays) where it is off,
 * saying where the schema is instead. Used in place of Apollo's own rule, whose message tells the
 * caller to "pass introspection: true to ApolloServer": nothing a council's data team can do.
 */
export const refuseIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (!INTROSPECTION_ROOTS.has(node.name.value)) return;
    context.reportError(
      new GraphQLError(
        `Introspection is off on this server. The schema is published as SDL at GET ${SDL_PATH}: send the same Authorization header as to /graphql.`,
        { nodes: node },
      ),
    );
  },
});
