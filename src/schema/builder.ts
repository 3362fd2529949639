import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import RelayPlugin from '@pothos/plugin-relay';
import { valueFromASTUntyped } from 'graphql';
import type { Context } from '../context.js';
import { badUserInput } from '../errors.js';
import { isCalendarDay } from '../fuzzy-date.js';
import { fieldCost } from './cost.js';
import { decodeGlobalId, encodeGlobalId } from './global-id.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
  Scalars: {
    ID: { Input: string; Output: string | number };
    Date: { Input: string; Output: string };
  };
}>({
  plugins: [ComplexityPlugin, RelayPlugin],
  defaultFieldNullability: false,
  // The limit is enforced by a validation rule (src/limits.ts), before execution; here only what each field costs.
  complexity: { fieldComplexity: fieldCost },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: { list: false, items: false } },
    nodeFieldOptions: { nullable: false },
    nodesOnConnection: { description: 'The nodes of `edges`, for clients that need no cursors.' },
    pageInfoTypeOptions: { description: 'Where a page sits in its list (Relay cursor connections).' },
    // node and nodes are defined in node.ts: an unknown or malformed ID gives null, not an error.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: (globalId) => decodeGlobalId(globalId) ?? { typename: '', id: '' },
  },
});

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isCalendarDay(value)) {
    throw badUserInput(`Date must be a real day written YYYY-MM-DD; got ${JSON.stringify(value)}`);
  }
  return value;
}

builder.scalarType('Date', {
  description: 'Calendar date, ISO 8601 `YYYY-MM-DD`.',
  serialize: (value) => value,
  parseValue: parseDate,
  // One parameter, unlike graphql's default (node, variables): graphql-jit warns on
  // every compile of a document that writes a date inline when given the two.
  parseLiteral: (node) => parseDate(valueFromASTUntyped(node)),
});

builder.queryType({});
