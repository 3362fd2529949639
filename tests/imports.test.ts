import { fileURLToPath } from 'node:url';
import { parseCircular, parseDependencyTree } from 'dpdm';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Every import cycle among the given files (type-only imports included), as chains of paths. */
async function importCycles(entries: string) {
  const tree = await parseDependencyTree(entries, { context: root, tsconfig: `${root}tsconfig.json`, transform: false });
  return { files: Object.keys(tree), cycles: parseCircular(tree) };
}

describe('our modules', () => {
  // A cycle makes a module's exports depend on who imported first; the context
  // once imported the schema (registering types as a side effect) while the schema imported it back.
  it('import one another without a cycle', { timeout: 60_000 }, async () => {
    const { files, cycles } = await importCycles('src/**/*.ts');
    expect(files).toContain('src/context.ts');
    expect(files).toContain('src/schema/event.ts');
    expect(cycles.map((cycle) => cycle.join(' -> '))).toEqual([]);
  });
});
