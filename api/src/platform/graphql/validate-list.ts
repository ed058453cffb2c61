import { validate, ValidationError } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';

/**
 * Checks each item of a list argument as type-graphql would, but keeps which item is wrong:
 * type-graphql checks a list argument's items one by one and reports the first failing item's
 * problems without its index, so the error could say "title", never "items.2.title". Use it with
 * `@Arg(name, () => [Input], { validate: false })`.
 */
export async function validateList(items: readonly object[], argument: string): Promise<void> {
  const children: ValidationError[] = [];
  for (const [index, item] of items.entries()) {
    const errors = await validate(item, { skipMissingProperties: true, forbidUnknownValues: false, validationError: { target: false, value: false } });
    if (errors.length) children.push(Object.assign(new ValidationError(), { property: String(index), children: errors }));
  }
  if (children.length) throw new ArgumentValidationError([Object.assign(new ValidationError(), { property: argument, children })]);
}
