import { readFileSync } from 'node:fs';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
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

});
