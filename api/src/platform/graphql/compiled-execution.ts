import type { GatewayExecutor, GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import {
  execute,
  getNamedType,
  getVariableValues,
  GraphQLError,
  isScalarType,
  isSpecifiedScalarType,
  typeFromAST,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** Operations compiled per parsed document; a document's operations are few, so a small map each. */
type CompiledOperations = Map<string, CompiledQuery | null>;

/**
 * Executes GraphQL operations compiled to JavaScript once per query (graphql-jit)
 * instead of graphql-js interpreting the document field by field on every request.
 * The benchmark's full note spent a fifth of its server time in graphql-js's
 * executeFields / getArgumentValues / completeValue walking ~80 fields.
 *
 * Apollo Server takes a custom executor only through its gateway interface, so this
 * is a "gateway" serving one fixed schema. Everything before execution is still
 * Apollo's: parsing, validation (and the document store that keeps both), the
 * plugins' hooks, error formatting, the HTTP answer.
 */
export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  // Apollo hands the same parsed document to every request with the same text (its document
  // store), so compiling per document object compiles each query once.
  const compiled = new WeakMap<DocumentNode, CompiledOperations>();
  let listener: GatewaySchemaLoadOrUpdateCallback | undefined;

  const compiledFor = (document: DocumentNode, operation: OperationDefinitionNode, operationName: string | null): CompiledQuery | null => {
    let operations = compiled.get(document);
    if (!operations) compiled.set(document, (operations = new Map()));
    const key = operationName ?? '';
    let query = operations.get(key);
    if (query === undefined) {
      const result = compilable(schema, operation) ? compileQuery(schema, document, operationName ?? undefined, { disablingCapturingStackErrors: true }) : null;
      query = result && isCompiledQuery(result) ? result : null;
      operations.set(key, query);
    }
    return query;
  };

  const executor: GatewayExecutor = async (request) => {
    const { document, operation, context } = request;
    // The client's operationName, not the resolved operation's: with none resolved (an unknown
    // name), graphql-js must report that rather than run the document's only operation.
    const operationName = request.request.operationName ?? null;
    const inputs = request.request.variables ?? {};
    const query = operation ? compiledFor(document, operation, operationName) : null;
    if (!query || !operation) return execute({ schema, document, contextValue: context, variableValues: inputs, operationName });
    const result = await query.query(undefined, context, inputs);
    if (result.data === undefined && result.errors) {
      // graphql-jit refused the variables (and ran nothing). graphql-js's errors for them are the
      // ones Apollo recognises as BAD_USER_INPUT, with the messages every other request gets.
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs);
      if (coerced.errors) return { errors: coerced.errors };
    }
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };

  return {
    async load() {
      listener?.({ apiSchema: schema, coreSupergraphSdl: '' });
      return { schema, executor };
    },
    onSchemaLoadOrUpdate(callback) {
      listener = callback;
      return () => {
        listener = undefined;
      };
    },
    async stop() {},
  };
}

/**
 * graphql-jit reports a resolver's error as its own GraphQLError look-alike, which
 * has no `extensions` unless the thrown error had some; Apollo's error formatting
 * (and ours, in errors.ts) expects graphql-js's own, with the thrown error kept as
 * `originalError`.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  if (error.extensions) return error;
  const upstream = new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? undefined });
  (upstream as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return upstream;
}

/**
 * graphql-jit coerces variables its own way, unlike graphql-js for input objects
 * (a non-null field with a default is required) and custom scalars (their messages
 * are lost). Operations whose variables are all of the built-in scalars, where the
 * two accept and refuse the same values, are compiled; the rest run on graphql-js
 * as before.
 */
export function compilable(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  return (operation.variableDefinitions ?? []).every((definition) => {
    const type = typeFromAST(schema, definition.type);
    const named = type && getNamedType(type);
    return !!named && isScalarType(named) && isSpecifiedScalarType(named);
  });
}
