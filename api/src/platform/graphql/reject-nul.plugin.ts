import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, visit, type DocumentNode } from 'graphql';
import { AppError, ErrorCode } from '../errors.js';

const hasNul = (value: unknown): boolean => {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (value && typeof value === 'object') return Object.values(value).some(hasNul);
  return false;
};

// Apollo keeps each parsed document and hands the same one to every request that sends that query:
// its literals are looked at once, not on every request (a walk of the whole document each time).
const checked = new WeakMap<DocumentNode, boolean>();

function literalHasNul(document: DocumentNode): boolean {
  let found = checked.get(document);
  if (found === undefined) checked.set(document, (found = walkForNul(document)));
  return found;
}

function walkForNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (node.value.includes('\u0000')) found = true;
    },
  });
  return found;
}

/**
 * PostgreSQL cannot store a NUL character in text, so any text containing one is
 * refused up front, whatever field it is meant for, instead of failing in SQL.
 */
export const rejectNulCharacters: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document }) {
        if (hasNul(request.variables) || literalHasNul(document)) {
          // Thrown before execution, so Apollo needs telling it is the client's fault (400).
          throw new AppError(ErrorCode.BAD_USER_INPUT, 'Text must not contain NUL (\\u0000) characters.', { http: { status: 400 } });
        }
      },
    };
  },
};
