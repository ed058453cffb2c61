import { validate, type ValidationError } from 'class-validator';
import {
  coerceInputValue,
  getNamedType,
  GraphQLFloat,
  GraphQLInt,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { badInput } from '../platform/errors.js';

type Query = Record<string, unknown>;

/** A query parameter's values: repeated (`status=OPEN&status=CLOSED`) or comma-separated (`status=OPEN,CLOSED`). */
function valuesOf(raw: unknown): string[] {
  const all = Array.isArray(raw) ? raw : [raw];
  return all.flatMap((v) => (typeof v === 'string' ? v.split(',') : [])).map((v) => v.trim());
}

/** A number typed as GraphQL would receive it in JSON; anything else is left for the coercion to refuse in words. */
function asJson(value: string, type: GraphQLInputType): unknown {
  const named = getNamedType(type);
  if ((named === GraphQLInt || named === GraphQLFloat) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

function messages(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((m) => (path ? `${path}${e.property}: ${m}` : m)),
    ...messages(e.children ?? [], `${path}${e.property}.`),
  ]);
}

/**
 * An export's filter from its query parameters, read as GraphQL reads the list's filter input:
 * the parameters are the input type's fields (the same names), each value coerced by the
 * schema's own types (enum names, IDs, DateTime instants, Int) and then checked by the input
 * class's validation (class-validator, as type-graphql does). One definition of what a filter
 * may say; a mistake is BAD_USER_INPUT in words, before any row is read. `extra` are the
 * export's own parameters (changedSince), read by the caller.
 */
export async function filterFromQuery<T extends object>(
  schema: GraphQLSchema,
  inputTypeName: string,
  InputClass: new () => T,
  query: Query,
  extra: readonly string[],
): Promise<T> {
  const inputType = schema.getType(inputTypeName);
  if (!isInputObjectType(inputType)) throw new Error(`${inputTypeName} is not an input type of the schema`);
  const fields = inputType.getFields();
  const known = [...Object.keys(fields), ...extra];
  const unknown = Object.keys(query).filter((name) => !known.includes(name));
  if (unknown.length) {
    throw badInput(`Unknown parameter ${unknown.map((u) => `"${u.slice(0, 40)}"`).join(', ')}: this export takes ${known.join(', ')}.`, unknown[0]);
  }
  const given: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    if (!(name in query)) continue;
    const values = valuesOf(query[name]).filter((v) => v !== '');
    if (!values.length) continue;
    const type = isNonNullType(field.type) ? field.type.ofType : field.type;
    if (isListType(type)) given[name] = values.map((v) => asJson(v, type));
    else if (values.length > 1) throw badInput(`Give ${name} once: it takes one value.`, name);
    else given[name] = asJson(values[0]!, type);
  }
  const problems: string[] = [];
  const coerced = coerceInputValue(given, inputType, (path, _value, error) => {
    const where = path.filter((p) => typeof p === 'string').join('.');
    problems.push(where ? `${where}: ${error.message}` : error.message);
  }) as Record<string, unknown>;
  if (problems.length) throw badInput(problems.join(' '), Object.keys(given)[0]);
  // as type-graphql builds an input: the class's prototype and the given fields only (no field initialisers)
  const filter = Object.assign(Object.create(InputClass.prototype) as T, coerced);
  // type-graphql's options (resolvers/validate-arg.js): a field not given is not checked
  const invalid = await validate(filter, { skipMissingProperties: true, forbidUnknownValues: false, validationError: { target: false, value: false } });
  if (invalid.length) throw badInput(messages(invalid).join(' '), invalid[0]!.property);
  return filter;
}

/** An instant parameter (changedSince) read by the schema's DateTime scalar: RFC 3339 with an offset, as GraphQL takes it. */
export function instantFromQuery(schema: GraphQLSchema, query: Query, name: string): Date | null {
  const values = valuesOf(query[name]).filter((v) => v !== '');
  if (!values.length) return null;
  if (values.length > 1) throw badInput(`Give ${name} once: it takes one instant.`, name);
  const scalar = schema.getType('DateTime');
  if (!isScalarType(scalar)) throw new Error('the schema has no DateTime scalar');
  try {
    return scalar.parseValue(values[0]) as Date;
  } catch (error) {
    throw badInput(`${name}: ${(error as Error).message}`, name);
  }
}
