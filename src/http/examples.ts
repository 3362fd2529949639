import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';
import { projectFile } from '../project-files.js';

/** The operations GraphiQL opens with, shipped beside the printed schema; also the allow-list of persisted operations. */
export const EXAMPLE_OPERATIONS = readFileSync(projectFile('schema/examples.graphql'), 'utf8');

/** Their names: the operations this server's own clients are known to run. */
export const EXAMPLE_OPERATION_NAMES: readonly string[] = parse(EXAMPLE_OPERATIONS).definitions.flatMap((definition) =>
  definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [definition.name.value] : [],
);
