import { type ASTVisitor, GraphQLError, type ValidationContext } from 'graphql';
import type { OperationLimits } from './config.js';
import { badUserInput } from './errors.js';

/**
 * Control characters (tab, line feed and carriage return aside) and lone UTF-16 surrogates: no
 * record holds them, and Postgres refuses NUL and unpaired surrogates in text.
 */
const FORBIDDEN_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|\p{Surrogate}/u;

/** No input type of ours nests deeper than a few levels; deeper JSON is refused before it is walked. */
const MAX_VARIABLE_NESTING = 16;

type Bounds = Pick<OperationLimits, 'stringLength' | 'listLength'>;

/** Why a string input is refused, or null if it is fine. */
function stringProblem(value: string, { stringLength }: Bounds): string | null {
  if (value.length > stringLength) return `is longer than ${stringLength} characters (got ${value.length})`;
  if (FORBIDDEN_CHARACTERS.test(value)) return 'contains a control character';
  return null;
}

function listProblem(length: number, { listLength }: Bounds): string | null {
  return length > listLength ? `has more than ${listLength} items (got ${length})` : null;
}

/**
 * Every string and list written in the document (arguments, input objects, variable defaults),
 * checked in one place rather than by each resolver. It depends only on the document, so Yoga
 * caches its verdict with the rest of validation.
 */
export function documentInputBoundsRule(bounds: Bounds) {
  return function inputBoundsRule(context: ValidationContext): ASTVisitor {
    const argumentName = () => context.getArgument()?.name ?? context.getInputType()?.toString() ?? 'input';
    return {
      StringValue(node) {
        const problem = stringProblem(node.value, bounds);
        if (problem !== null) context.reportError(located(`Argument '${argumentName()}' ${problem}`, argumentName(), node));
      },
      ListValue(node) {
        const problem = listProblem(node.values.length, bounds);
        if (problem !== null) context.reportError(located(`Argument '${argumentName()}' ${problem}`, argumentName(), node));
      },
    };
  };
}

function located(message: string, argument: string, node: import('graphql').ASTNode): GraphQLError {
  const error = badUserInput(message, argument);
  return new GraphQLError(error.message, { nodes: [node], extensions: error.extensions });
}

/** The same bounds on every string and list in the variables, as sent, before they are coerced. */
export function variableBoundsErrors(variables: Readonly<Record<string, unknown>> | null | undefined, bounds: Bounds): GraphQLError[] {
  const errors: GraphQLError[] = [];
  const visit = (value: unknown, path: string, depth = 0) => {
    if (errors.length > 0) return;
    if (depth > MAX_VARIABLE_NESTING) {
      errors.push(badUserInput(`Variable '${path.slice(0, 100)}' nests deeper than ${MAX_VARIABLE_NESTING} levels`, path.slice(0, 100)));
    } else if (typeof value === 'string') {
      const problem = stringProblem(value, bounds);
      if (problem !== null) errors.push(badUserInput(`Variable '${path}' ${problem}`, path));
    } else if (Array.isArray(value)) {
      const problem = listProblem(value.length, bounds);
      if (problem !== null) errors.push(badUserInput(`Variable '${path}' ${problem}`, path));
      else value.forEach((item, index) => visit(item, `${path}[${index}]`, depth + 1));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) visit(item, `${path}.${key.slice(0, 100)}`, depth + 1);
    }
  };
  for (const [name, value] of Object.entries(variables ?? {})) visit(value, `$${name.slice(0, 100)}`);
  return errors;
}
