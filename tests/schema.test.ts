import { readFileSync } from 'node:fs';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema, type GraphQLInterfaceType, type GraphQLResolveInfo, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { decodeGlobalId } from '../src/schema/global-id.js';
import { schema } from '../src/schema/index.js';

describe('the served schema', () => {
  it('is what schema/schema.graphql says (run `npm run schema:print` after changing it)', () => {
    expect(readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8')).toBe(`${printSchema(schema)}\n`);
  });

  it('breaks nothing in the contract promised to clients', async () => {
    const contract = buildSchema(readFileSync(new URL('../schema/contract.graphql', import.meta.url), 'utf8'));
    const breaking = (await diff(contract, schema)).filter((change) => change.criticality.level === CriticalityLevel.Breaking);
    expect(breaking.map((change) => change.message)).toEqual([]);
  });

  it("resolves every node's global ID synchronously, to what decodes back to its type and row", () => {
    const nodeTypes = schema.getPossibleTypes(schema.getType('Node') as GraphQLInterfaceType);
    expect(nodeTypes.map((type) => type.name).sort()).toEqual(['Actor', 'Claim', 'Event', 'RetaliatoryMeasure', 'Source']);
    for (const type of nodeTypes) {
      const id = type.getFields().id!.resolve!({ id: 42 }, {}, {}, {} as GraphQLResolveInfo);
      expect(typeof id).toBe('string');
      expect(decodeGlobalId(id as string)).toEqual({ typename: type.name, id: '42' });
    }
  });
});
