// What `npm start` runs, read from package.json, so the benchmarks measure the
// server with the same Node flags (its memory settings among them) as users get.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The Node flags of `npm start`'s command line: everything between `node` and `dist/main.js`. */
export function startFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const flags = scripts.start.match(/\bnode\s+(.*?)\s*dist\/main\.js\b/)?.[1];
  if (flags === undefined) throw new Error(`npm start does not run node … dist/main.js: ${scripts.start}`);
  return flags.split(/\s+/).filter(Boolean);
}
