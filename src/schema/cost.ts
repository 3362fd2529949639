import { getNullableType, type GraphQLField, isListType } from 'graphql';

/** What a page costs when neither `first` nor `last` is given: the default page size. */
const DEFAULT_PAGE_MULTIPLIER = 20;

/**
 * How many items a plain list (participants, citations, responses…) is assumed to hold when costing
 * an operation: these lists are not paged, so the cost cannot know their length in advance.
 */
export const LIST_MULTIPLIER = 10;

/**
 * The calculated cost of one field, as @pothos/plugin-complexity asks for it: every field costs 1,
 * and what is selected below a list counts once per item it may hold. A connection holds at most
 * `first` or `last` items (20 by default), so its `edges` and `nodes` multiply by nothing more;
 * `nodes(ids)` holds one item per ID; any other list is assumed to hold LIST_MULTIPLIER items.
 */
export function fieldCost<Context>(args: Record<string, unknown>, _context: Context, field: GraphQLField<unknown, Context>) {
  const pageSize = args.first ?? args.last;
  if (field.args.some((arg) => arg.name === 'first' || arg.name === 'last')) {
    return { field: 1, multiplier: typeof pageSize === 'number' ? Math.max(pageSize, 0) : DEFAULT_PAGE_MULTIPLIER };
  }
  if (Array.isArray(args.ids)) return { field: 1, multiplier: args.ids.length };
  if (!isListType(getNullableType(field.type))) return 1;
  if ((field.name === 'edges' || field.name === 'nodes') && field.args.length === 0) return { field: 1, multiplier: 1 };
  return { field: 1, multiplier: LIST_MULTIPLIER };
}
