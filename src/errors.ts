import { GraphQLError } from 'graphql';

/**
 * The closed set of error codes clients may see in `extensions.code`. Anything
 * else that goes wrong is masked by Yoga as `INTERNAL_SERVER_ERROR`, logged
 * with the request id, and never shows a stack trace.
 */
export const ErrorCode = {
  /** An argument is malformed or out of range: a bad cursor, date, ID or page size. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function badUserInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, ...(argument === undefined ? {} : { argument }) },
  });
}
