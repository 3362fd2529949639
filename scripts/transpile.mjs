// `npm start` runs compiled JavaScript, which starts several times faster than
// loading TypeScript through tsx; esbuild turns src/ into dist/ in a fraction
// of a second (type checking stays `npm run typecheck`'s job; `npm run build`
// is the full tsc build the Docker image uses).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.join(import.meta.dirname, '..');
const entryPoints = readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
  .map((file) => path.join(root, 'src', file));

await build({
  entryPoints,
  outdir: path.join(root, 'dist'),
  outbase: path.join(root, 'src'),
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  logLevel: 'warning',
});
