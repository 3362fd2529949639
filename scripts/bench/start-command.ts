// What `npm start` runs, read from package.json, so the benchmarks measure the
// server with the same Node flags (its memory settings among them) as users get.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The Node flags of `npm start`'s command line: everything between `node` and `dist/main.js`. */
export function startFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const flags = scripts.start.match(/\bnode\s+(.*?)\s*dist\/main\.js\b/)?.[1];
  if (flags === undefined) throw new Error(`npm start does not run node … dist/main.js: ${scripts.start}`);
  return flags.split(/\s+/).filter(Boolean);
}

/** The Node 24 `npm run bench` fetches (node_modules/.cache/bench-tools), when it has; else the Node running this. */
export function benchNode(): string {
  const fetched = path.join(ROOT, 'node_modules/.cache/bench-tools/node_modules/node/bin/node');
  return existsSync(fetched) ? fetched : process.execPath;
}
