import { readFileSync } from 'node:fs';

/** The operations GraphiQL opens with, shipped beside the printed schema; also the allow-list of persisted operations. */
export const EXAMPLE_OPERATIONS = readFileSync(new URL('../../schema/examples.graphql', import.meta.url), 'utf8');
