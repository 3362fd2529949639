import type { ArgBuilder, ObjectRef, SchemaTypes } from '@pothos/core';
import type { Page, PageRequest } from '../db/queries/pagination.js';
import { badUserInput } from '../errors.js';
import { builder } from './builder.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly last?: number | null;
  readonly before?: string | null;
}

type CursorValues = readonly (string | number)[];

/** What a connection field resolves to; `totalCount` runs only when asked for. */
export interface ConnectionResult<Node> {
  readonly edges: { cursor: string; node: Node }[];
  readonly pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  readonly totalCount: () => Promise<number>;
}

/**
 * Cursors are keyset positions: the sort-key values of a row, tagged with the
 * list they belong to, so a cursor from another list is refused, not misread.
 */
export function encodeCursor(list: string, values: CursorValues): string {
  return Buffer.from(JSON.stringify([list, ...values]), 'utf8').toString('base64url');
}

function decodeCursor(list: string, cursor: string, argument: string): CursorValues {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  if (
    !Array.isArray(decoded) ||
    decoded[0] !== list ||
    decoded.length < 2 ||
    !decoded.every((value) => typeof value === 'string' || typeof value === 'number')
  ) {
    throw badUserInput(`'${argument}' is not a cursor of this list; pass a cursor this list returned`, argument);
  }
  return decoded.slice(1) as CursorValues;
}

/** Validates page arguments: at most 100 in either direction, 20 by default, cursors of this list only. */
export function pageRequest(list: string, { first, after, last, before }: PageArgs): PageRequest {
  for (const [name, value] of [['first', first], ['last', last]] as const) {
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw badUserInput(`'${name}' must be between 0 and ${MAX_PAGE_SIZE}; got ${value}`, name);
    }
  }
  if (first != null && last != null) throw badUserInput("Pass 'first' or 'last', not both", 'last');
  if (after != null && before != null) throw badUserInput("Pass 'after' or 'before', not both", 'before');
  if (first != null && before != null) throw badUserInput("'before' pages backward: pair it with 'last', not 'first'", 'before');
  if (last != null && after != null) throw badUserInput("'after' pages forward: pair it with 'first', not 'last'", 'after');
  const backward = last != null || before != null;
  const cursor = after ?? before;
  return {
    limit: (backward ? last : first) ?? DEFAULT_PAGE_SIZE,
    backward,
    cursor: cursor == null ? null : decodeCursor(list, cursor, after != null ? 'after' : 'before'),
  };
}

/** Shapes a keyset page as a Relay connection. */
export function toConnection<Row, Node = Row>(
  list: string,
  request: Omit<PageRequest, 'backward'> & { backward?: boolean },
  page: Page<Row> | undefined,
  options: { cursorOf: (row: Row) => CursorValues; totalCount: () => Promise<number>; toNode?: (row: Row) => Node },
): ConnectionResult<Node> {
  const rows = page?.rows ?? [];
  const edges = rows.map((row) => ({
    cursor: encodeCursor(list, options.cursorOf(row)),
    node: options.toNode ? options.toNode(row) : (row as unknown as Node),
  }));
  const hasMore = page?.hasMore ?? false;
  // Beyond the page we only know what lies in the direction of travel; that
  // something lies behind a cursor is known without a query: the cursor's row.
  return {
    edges,
    pageInfo: {
      hasNextPage: request.backward ? request.cursor !== null : hasMore,
      hasPreviousPage: request.backward ? hasMore : request.cursor !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: options.totalCount,
  };
}

/** `first` and `after`: a nested list pages forward only. */
export function forwardPageArgs<Types extends SchemaTypes>(arg: ArgBuilder<Types>) {
  return {
    first: arg.int({ description: `Page size from the start or after \`after\`: 0 to ${MAX_PAGE_SIZE}, ${DEFAULT_PAGE_SIZE} by default.` }),
    after: arg.string({ description: 'A cursor from this list: the page starts after it.' }),
  };
}

/** `first`/`after` and `last`/`before`: a top-level list pages both ways. */
export function pageArgs<Types extends SchemaTypes>(arg: ArgBuilder<Types>) {
  return {
    ...forwardPageArgs(arg),
    last: arg.int({ description: `Page size from the end or before \`before\`: 0 to ${MAX_PAGE_SIZE}.` }),
    before: arg.string({ description: 'A cursor from this list: the page ends before it.' }),
  };
}

/** `XConnection` and `XEdge` for a type, with `totalCount`. */
export function connectionType<Node>(type: ObjectRef<any, Node> | Parameters<typeof builder.connectionObject>[0]['type'], name: string) {
  return builder.connectionObject(
    {
      type: type as ObjectRef<any, Node>,
      name: `${name}Connection`,
      fields: (t) => ({
        totalCount: t.int({
          description: 'How many items the whole list holds, all pages together.',
          resolve: (connection) => (connection as unknown as ConnectionResult<Node>).totalCount(),
        }),
      }),
    },
    { name: `${name}Edge` },
  );
}
