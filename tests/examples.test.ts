import { Kind, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_OPERATIONS } from '../src/server.js';
import { dataOf, openTestServer, type TestServer } from './helpers/test-server.js';

const operations = parse(EXAMPLE_OPERATIONS).definitions.flatMap((definition) =>
  definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [definition.name.value] : [],
);
let server: TestServer;

beforeAll(async () => {
  server = await openTestServer();
});
afterAll(() => server?.close());

describe('the example operations GraphiQL opens with', () => {
  it('are several', () => {
    expect(operations.length).toBeGreaterThanOrEqual(6);
  });

  it.each(operations)('%s runs without errors and finds something', async (operationName) => {
    const response = await server.query(EXAMPLE_OPERATIONS, undefined, operationName);
    const data = dataOf(response) as Record<string, unknown>;
    for (const [field, value] of Object.entries(data)) {
      const top = value !== null && typeof value === 'object' && 'nodes' in value ? (value as { nodes: unknown }).nodes : value;
      expect(Array.isArray(top) ? top.length : top, `${operationName}.${field}`).toBeTruthy();
    }
  });

  it('each runs the operation named, whatever ran before from the same document (compiled execution caches by document)', async () => {
    const document = 'query One { events(first: 1) { totalCount } } query Two { actors(first: 1) { totalCount } }';
    for (const [name, field] of [['One', 'events'], ['Two', 'actors'], ['One', 'events']] as const) {
      expect(Object.keys(dataOf(await server.query(document, undefined, name)) as object)).toEqual([field]);
    }
  });

  it('answer the Safarov question: Azerbaijan acted after the deaths, and Russia answered', async () => {
    const data = dataOf(await server.query(EXAMPLE_OPERATIONS, undefined, 'AfterTheSafarovDeaths')) as any;
    // A state acts itself or through its bodies: the Culture Ministry's step is Azerbaijan's.
    const actsFor = (state: string) => (measure: any) => [measure.initiator.name, measure.initiator.country?.name].includes(state);
    const byAzerbaijan = data.event.responses.filter(actsFor('Azerbaijan'));
    expect(byAzerbaijan.length).toBeGreaterThan(1);
    const answers = byAzerbaijan.flatMap((measure: any) => measure.answeredBy.responses);
    expect(answers.filter(actsFor('Russia')).length).toBeGreaterThan(0);
  });
});
