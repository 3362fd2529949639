import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { median, percentile, writeSection } from '../scripts/bench/results-file.js';

// The benchmarks rewrite their own sections of bench/RESULTS.md, which also holds prose written by hand.
describe('the benchmarks’ results file', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'results-file-'));
    file = path.join(dir, 'bench', 'RESULTS.md');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the file with the section when there is none', () => {
    writeSection(file, 'http', ['| a | b |']);
    expect(readFileSync(file, 'utf8')).toBe('# Benchmark results\n\n<!-- bench:http:start -->\n| a | b |\n<!-- bench:http:end -->\n');
  });

  it('replaces only its own section, keeping the prose and the other sections around it', () => {
    writeSection(file, 'http', ['old http']);
    writeSection(file, 'paired', ['old paired']);
    const withProse = readFileSync(file, 'utf8').replace('<!-- bench:paired:start -->', 'Written by hand.\n\n<!-- bench:paired:start -->');
    writeFileSync(file, `${withProse}\nMore by hand.\n`);
    writeSection(file, 'http', ['new http', 'second line']);
    expect(readFileSync(file, 'utf8')).toBe(
      '# Benchmark results\n\n<!-- bench:http:start -->\nnew http\nsecond line\n<!-- bench:http:end -->\n\n' +
        'Written by hand.\n\n<!-- bench:paired:start -->\nold paired\n<!-- bench:paired:end -->\n\nMore by hand.\n',
    );
  });

  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('takes a percentile as the nearest rank at or above it', () => {
    const fifteen = [15, 1, 14, 2, 13, 3, 12, 4, 11, 5, 10, 6, 9, 7, 8];
    expect([25, 50, 75, 99].map((p) => percentile(fifteen, p))).toEqual([4, 8, 12, 15]);
    expect(percentile([2.5], 99)).toBe(2.5);
  });
});
