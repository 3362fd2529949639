// Prints the served schema to schema/schema.graphql; with --check, fails if the committed file differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { schema } from '../src/schema/index.js';

const target = new URL('../schema/schema.graphql', import.meta.url);
const printed = `${printSchema(schema)}\n`;

if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== printed) {
    console.error('schema/schema.graphql is out of date: run `npm run schema:print` and commit it');
    process.exit(1);
  }
  console.log('schema/schema.graphql is current');
} else {
  writeFileSync(target, printed);
  console.log('wrote schema/schema.graphql');
}
