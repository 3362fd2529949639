import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/connect.js';
import { createServer } from '../src/server.js';
import { openSeededDatabase } from './helpers/test-database.js';

const EXAMPLE = fileURLToPath(new URL('../examples/client/', import.meta.url));
const bin = (path: string) => fileURLToPath(new URL(`../node_modules/${path}`, import.meta.url));

/** Runs a tool's script on the Node running the tests, in the example's directory. */
function run(script: string, args: string[]) {
  const result = spawnSync(process.execPath, [script, ...args], { cwd: EXAMPLE, encoding: 'utf8', timeout: 170_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

let database: Database;
let server: http.Server;
beforeAll(async () => {
  database = await openSeededDatabase();
  server = http.createServer(createServer({ db: database.db, logger: pino({ level: 'silent' }) }));
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await database?.close();
});

describe('the typed client example (examples/client)', { timeout: 180_000 }, () => {
  it('generates its types from the printed schema, and type-checks against them', () => {
    const codegen = run(bin('@graphql-codegen/cli/esm/bin.js'), []);
    expect(codegen.output).not.toMatch(/error/i);
    expect(codegen.status).toBe(0);
    const tsc = run(bin('typescript/bin/tsc'), ['-p', '.']);
    expect(tsc.output).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('runs against the server, with slugs as filters and dates as strings', async () => {
    // By a computed path: the module exists only once codegen has run, so the suite's own type check must not follow it.
    const client = await import(/* @vite-ignore */ `${EXAMPLE}src/client.ts`);
    const result = await client.russiasYear(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
    expect(result.total).toBeGreaterThan(0);
    expect(result.titles.length).toBeGreaterThan(0);
    expect(result.firstDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(result.months.length).toBeGreaterThan(0);
  });
});
