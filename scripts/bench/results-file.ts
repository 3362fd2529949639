// What the benchmarks share: medians, and their sections of bench/RESULTS.md.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const RESULTS_FILE = path.resolve(import.meta.dirname, '../../bench/RESULTS.md');

export function median(list: readonly number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The value below which `p` per cent of `list` falls (the nearest rank at or above it). */
export function percentile(list: readonly number[], p: number): number {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Replaces the lines between `<!-- bench:NAME:start -->` and its end marker in `file`, adding the section when missing. */
export function writeSection(file: string, name: string, lines: readonly string[]): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmark results\n\n${start}\n${end}\n`;
  const [before, rest] = previous.includes(start) ? previous.split(start) : [`${previous}\n`, `${end}\n`];
  const after = rest!.slice(rest!.indexOf(end) + end.length);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${before}${start}\n${lines.join('\n')}\n${end}${after}`);
}
