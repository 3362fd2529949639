// `npm start` runs compiled JavaScript, which starts several times faster than
// loading TypeScript through tsx; esbuild turns src/ into dist/ in about a
// second (type checking stays `npm run typecheck`'s job; `npm run build` is the
// full tsc build, which the Docker image runs before this).
//
// dist/main.js, the server, is one bundle with its dependencies: resolving and
// loading the ~1,500 module files of Yoga, graphql, Pothos and the rest cost
// about 230 ms of a 950 ms warm start. Code only some starts need (the seed
// validator, GraphiQL's page) stays in chunks loaded on first use. PGlite stays
// outside: it loads its WebAssembly and data files from beside its own module.
// Every other module is also compiled file by file, for the CLI and the benchmarks.
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.join(import.meta.dirname, '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
// Maps without the sources' text: stack traces need only the mappings, and Node holds a loaded
// map in memory (the bundle's, with its sources, cost about 20 MB of resident memory).
const common = { format: 'esm', platform: 'node', target: 'node22', sourcemap: true, sourcesContent: false, logLevel: 'warning' };

const entryPoints = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
  .map((file) => path.join(src, file));

// Nothing changed since this script last built (every `npm start` after the
// first): a few stat calls instead of a second of building, so a warm start
// stays warm. The stamp is this script's own: after `npm run build` (tsc, file
// by file) dist/main.js is newer than it, and the bundle is built again.
const stamp = path.join(dist, '.bundled');
const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : Number.POSITIVE_INFINITY);
const inputs = [...entryPoints, path.join(root, 'package-lock.json'), import.meta.filename, path.join(dist, 'main.js')];
if (existsSync(stamp) && inputs.every((file) => mtime(file) <= mtime(stamp))) process.exit(0);

await build({ ...common, entryPoints, outdir: dist, outbase: src });

rmSync(path.join(dist, 'chunks'), { recursive: true, force: true });
await build({
  ...common,
  entryPoints: [path.join(src, 'main.ts')],
  outdir: dist,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // Without comments and indentation: V8 keeps every loaded module's source text in memory, and one
  // non-ASCII character in a kept comment (a dash, an arrow) made the whole server chunk a two-byte
  // string. 15 MB less resident memory at idle (168 → 152 MB); names stay, and maps point into src/.
  minifyWhitespace: true,
  external: ['@electric-sql/pglite', 'pg-native'],
  // Bundled CommonJS packages call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
writeFileSync(stamp, '');
