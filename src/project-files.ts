import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Found by walking up to package.json rather than by a fixed `../..`: the same
// code runs from src/ under tsx and vitest, from dist/ compiled file by file,
// and bundled into dist/main.js, each at a different depth.
const root = (() => {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
  }
})();

/** A file or folder shipped with the project (seeds/, schema/), by its path from the project's root. */
export function projectFile(relative: string): string {
  return path.join(root, relative);
}
