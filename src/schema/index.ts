import { isObjectType } from 'graphql';
import { builder } from './builder.js';
import { encodeGlobalId } from './global-id.js';
// Each module registers its types and Query fields on the builder.
import './node.js';
import './event.js';
import './actor.js';
import './measure.js';
import './claim.js';
import './source.js';
import './citation.js';
import './search.js';
import './stats.js';

export const schema = builder.toSchema();

/**
 * Pothos' relay plugin resolves each node's `id` through an async function, so
 * every ID in an answer cost a promise, and graphql-jit's handling of a field
 * that may be pending: 12% of what a timeline page allocates (about 400 IDs).
 * Each node type's own `id.resolve` is synchronous, as is the encoding, so the
 * built schema calls them directly.
 */
for (const type of Object.values(schema.getTypeMap())) {
  if (!isObjectType(type)) continue;
  const resolveId = (type.extensions.pothosOptions as NodeOptions | undefined)?.id?.resolve;
  if (resolveId === undefined) continue;
  const { name } = type;
  type.getFields().id!.resolve = (row: unknown) => encodeGlobalId(name, resolveId(row));
}

interface NodeOptions {
  readonly id?: { readonly resolve?: (row: unknown) => number };
}
