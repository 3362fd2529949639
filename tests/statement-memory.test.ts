import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testEngine } from './helpers/test-database.js';

const SCRIPT = path.join(import.meta.dirname, 'helpers/statement-survival.ts');

/**
 * What each scavenge promoted to the old generation, in KB, over the second
 * half of a run of 3,000 statements (the first half includes start-up): V8's
 * own count (--trace-gc-nvp). --no-turbofan holds pg's `Client#query` in the
 * state a server's is in for its first 10,000 to 30,000 requests; a 2 MB young
 * generation makes a scavenge every hundred statements or so.
 */
function promotedPerScavenge(through: 'pg' | 'ours', url: string): number {
  const output = execFileSync(process.execPath, ['--no-turbofan', '--max-semi-space-size=1', '--trace-gc-nvp', '--import', 'tsx', SCRIPT, url, through, '3000'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(output).toContain('done');
  const promoted = [...output.matchAll(/\bgc=s\b.*?\bpromoted=(\d+)/g)].map((match) => Number(match[1]) / 1024);
  expect(promoted.length).toBeGreaterThan(20);
  const later = promoted.slice(promoted.length / 2).sort((a, b) => a - b);
  return later[Math.floor(later.length / 2)]!;
}

describe.skipIf(testEngine.engine !== 'postgres')('a statement’s rows in memory', () => {
  it('die young when answered through CancellableClient, as they do not through pg’s own promise', () => {
    if (testEngine.engine !== 'postgres') return; // for the type of testEngine; skipped above
    // The control: pg's promise keeps every statement's rows past the next scavenge. Should a pg
    // release stop that, this fails, and CancellableClient can use pg's promise again.
    expect(promotedPerScavenge('pg', testEngine.serverUrl)).toBeGreaterThan(100);
    expect(promotedPerScavenge('ours', testEngine.serverUrl)).toBeLessThan(50);
  }, 120_000);
});
