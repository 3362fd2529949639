import { brandWithType } from '@pothos/core';
import type { Loaders } from '../context.js';
import { builder } from './builder.js';
import { decodeGlobalId } from './global-id.js';

/** Every type with a global ID, and the loader that finds its rows by id. */
const LOADER_OF = {
  Event: (loaders: Loaders) => loaders.events.byId,
  Actor: (loaders: Loaders) => loaders.actors.byId,
  RetaliatoryMeasure: (loaders: Loaders) => loaders.measures.byId,
  Claim: (loaders: Loaders) => loaders.claims.byId,
  Source: (loaders: Loaders) => loaders.sources.byId,
} as const;

export type NodeTypename = keyof typeof LOADER_OF;

/** The record of this type and id, tagged with its type for `Node` and union fields; null if none. */
export async function loadNode(loaders: Loaders, typename: NodeTypename, id: number): Promise<object | null> {
  const row: object | null = await LOADER_OF[typename](loaders).load(id);
  // Type escape: Pothos types brands by refs; a type's name brands it just the same.
  if (row !== null) brandWithType(row, typename as never);
  return row;
}

async function loadGlobalId(loaders: Loaders, globalId: string): Promise<object | null> {
  const decoded = decodeGlobalId(globalId);
  if (decoded === null || !Object.hasOwn(LOADER_OF, decoded.typename)) return null;
  return loadNode(loaders, decoded.typename as NodeTypename, Number(decoded.id));
}

builder.queryFields((t) => ({
  node: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description: 'The record with this global ID; null for an unknown ID.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { loaders }) => loadGlobalId(loaders, String(id)),
  }),
  nodes: t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    description: 'The records with these global IDs, in the same order; null for each unknown ID.',
    args: { ids: t.arg.idList({ required: true }) },
    resolve: (_root, { ids }, { loaders }) => Promise.all(ids.map((id) => loadGlobalId(loaders, String(id)))),
  }),
}));
