// What compressing one answer costs, on the main thread and on zlib's thread pool, by size and
// by how many run at once (src/http/compression.ts chooses between the two by size):
//   npm run bench:zlib
// JSON shaped like a page of events, gzip and brotli at the server's quality; CPU of the whole
// process (every thread) and wall time per answer. Prints its table; about half a minute.
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';

const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } };
const gzipOnPool = promisify(gzip);
const brotliOnPool = promisify(brotliCompress);

function answerOf(events: number): Buffer {
  const nodes = Array.from({ length: events }, (_, i) => ({
    id: Buffer.from(`Event:${(i * 7919) % 1_000_003}`).toString('base64url'),
    title: `Synthetic event ${i} in the crisis, number ${(i * 31) % 97}`,
    date: { precision: 'DAY', earliest: `2024-03-${10 + (i % 19)}`, latest: `2024-03-${10 + (i % 19)}` },
  }));
  return Buffer.from(JSON.stringify({ data: { events: { nodes } } }));
}

async function measure(concurrency: number, compress: () => unknown): Promise<{ cpu: number; wall: number }> {
  const total = 1600;
  for (let i = 0; i < 100; i++) await compress();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < total / concurrency; i++) await Promise.all(Array.from({ length: concurrency }, compress));
  const used = process.cpuUsage(cpu);
  return { cpu: (used.user + used.system) / total, wall: ((performance.now() - started) * 1000) / total };
}

console.log(`Node ${process.version}; µs of CPU (all threads) and of wall time per answer, 1,600 answers after 100 of warm-up.`);
console.log('');
console.log('| answer | encoding | main thread, one at a time | pool, one at a time | pool, 16 at once |');
console.log('| ---: | --- | ---: | ---: | ---: |');
for (const events of [60, 250, 1000]) {
  const answer = answerOf(events);
  for (const [name, here, pool] of [
    ['gzip', () => gzipSync(answer), () => gzipOnPool(answer)],
    ['br (quality 5)', () => brotliCompressSync(answer, BROTLI), () => brotliOnPool(answer, BROTLI)],
  ] as const) {
    const cells = [await measure(1, async () => here()), await measure(1, pool), await measure(16, pool)];
    console.log(`| ${(answer.length / 1024).toFixed(0)} KB | ${name} | ${cells.map(({ cpu, wall }) => `${cpu.toFixed(0)} (${wall.toFixed(0)} wall)`).join(' | ')} |`);
  }
}
