import { readFileSync } from 'node:fs';
import { projectFile } from '../project-files.js';

/** The operations GraphiQL opens with, shipped beside the printed schema; also the allow-list of persisted operations. */
export const EXAMPLE_OPERATIONS = readFileSync(projectFile('schema/examples.graphql'), 'utf8');
