import { graphql } from './gql/index.js';
import type { TypedDocumentString } from './gql/graphql.js';

/** A typed query: its result and variables types are generated from the schema by `graphql-codegen`. */
export const EventsOfAnActor = graphql(`
  query EventsOfAnActor($actor: ID!, $from: Date) {
    events(filter: { actor: $actor, from: $from }, first: 5) {
      totalCount
      nodes {
        title
        date { iso precision earliest }
        category
      }
    }
  }
`);

export const MonthlyCounts = graphql(`
  query MonthlyCounts($state: ID!) {
    measureCounts(by: MONTH, filter: { initiatorState: $state }) { key label precision count }
  }
`);

/** POSTs an operation and returns its data, typed; GraphQL errors are thrown with their codes. */
export async function execute<Result, Variables>(
  endpoint: string,
  query: TypedDocumentString<Result, Variables>,
  ...[variables]: Variables extends Record<string, never> ? [] : [Variables]
): Promise<Result> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: query.toString(), variables }),
  });
  const body = (await response.json()) as { data?: Result; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) {
    throw new Error(body.errors.map((error) => `${error.extensions?.code}: ${error.message}`).join('; '));
  }
  return body.data!;
}

/** What a dashboard would do: every field below is typed, `earliest` as a string. */
export async function russiasYear(endpoint: string) {
  const { events } = await execute(endpoint, EventsOfAnActor, { actor: 'russia', from: '2025-01-01' });
  const firstDay: string | undefined = events.nodes[0]?.date.earliest;
  const { measureCounts } = await execute(endpoint, MonthlyCounts, { state: 'azerbaijan' });
  return {
    total: events.totalCount,
    titles: events.nodes.map((event) => event.title),
    firstDay,
    months: measureCounts.filter((bucket) => bucket.precision === 'MONTH').map((bucket) => bucket.label),
  };
}
