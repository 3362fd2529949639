import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSeeds } from '../src/db/seed-files.js';
import { adminQuery, databaseUrl } from './helpers/engine.js';
import { type ServerProcess, startServerProcess } from './helpers/server-process.js';

const seeds = readSeeds();
const running: ServerProcess[] = [];
const temporary: string[] = [];
afterAll(async () => {
  await Promise.all(running.map((server) => server.stop('SIGKILL')));
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string | undefined>, cwd?: string) {
  const server = await startServerProcess(env, cwd);
  running.push(server);
  return server;
}

async function graphql(port: number, query: string) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return response.json() as Promise<{ data?: any; errors?: unknown[] }>;
}

/** Every process below `pid`, from /proc. */
function descendantsOf(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const COUNT = '{ __typename events(first: 0) { totalCount } }';

// Real processes on a shared, loaded machine: start-up alone can take tens of seconds there.
describe('the server process', { timeout: 180_000 }, () => {
  it('starts on an in-memory database, says where in one line, seeds it, and stops gracefully mid-request', async () => {
    const server = await start({ DATABASE_URL: 'memory://' });
    const listening = server.logs.find((entry) => entry.url);
    expect(listening).toMatchObject({ engine: 'pglite', database: 'memory://', port: server.port });
    expect(server.logs.some((entry) => entry.msg === 'loaded the seeds into an empty knowledge base')).toBe(true);
    expect(await graphql(server.port, COUNT)).toMatchObject({ data: { __typename: 'Query', events: { totalCount: seeds.events.length } } });

    // A request whose body is still arriving when SIGTERM comes must still be answered in full.
    const body = JSON.stringify({ query: COUNT });
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let response = '';
    socket.on('data', (chunk) => (response += chunk.toString()));
    const answered = new Promise((resolve) => socket.once('end', resolve));
    socket.write(`POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.write(body.slice(10));
    await answered;

    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toContain(`"totalCount":${seeds.events.length}`);
    expect(await server.exited).toBe(0);
    expect(server.logs.at(-1)?.msg).toBe('stopped');
  }, 90_000);

  it('keeps its embedded database under ./data/ across restarts, loading the seeds only once', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'kb-data-'));
    temporary.push(cwd);
    const first = await start({}, cwd);
    expect(first.logs.find((entry) => entry.url)).toMatchObject({ engine: 'pglite', database: path.join('data', 'pglite') });
    expect(first.logs.some((entry) => entry.msg === 'loaded the seeds into an empty knowledge base')).toBe(true);
    expect(await first.stop('SIGINT')).toBe(0);

    const second = await start({}, cwd);
    expect(second.logs.some((entry) => String(entry.msg).startsWith('seeding') || String(entry.msg).startsWith('loaded'))).toBe(false);
    expect((await graphql(second.port, COUNT)).data.events.totalCount).toBe(seeds.events.length);
    expect(await second.stop()).toBe(0);
  }, 90_000);

  it('`npm start` stops cleanly on SIGTERM to its own process, leaving no child behind', async () => {
    const npm = spawn('npm', ['start'], {
      cwd: new URL('..', import.meta.url),
      env: { ...process.env, DATABASE_URL: 'memory://', PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    let output = '';
    npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      npm.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        // Operations are answered once the knowledge base is ready, a line after the one naming the port.
        const match = /"port":(\d+),"url"/.exec(output);
        if (match && output.includes('"ready":true')) resolve(Number(match[1]));
      });
      void exited.then((code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
    expect((await graphql(port, COUNT)).data.events.totalCount).toBe(seeds.events.length);
    const family = descendantsOf(npm.pid!);
    expect(family.length).toBeGreaterThan(0);
    npm.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The server's own log says it finished; then no process npm started may be left.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(output).toContain('"msg":"stopped"');
    expect(family.filter(isAlive)).toEqual([]);
  });

  it('runs on a Postgres server given by DATABASE_URL', async () => {
    const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const name = `kbtest_process_${process.pid}`;
    await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
    await adminQuery(serverUrl, `create database ${name}`);
    try {
      const server = await start({ DATABASE_URL: databaseUrl(serverUrl, name) });
      expect(server.logs.find((entry) => entry.url)).toMatchObject({ engine: 'postgres', database: expect.stringContaining(name) });
      expect((await graphql(server.port, COUNT)).data.events.totalCount).toBe(seeds.events.length);
      const ready = await fetch(`http://127.0.0.1:${server.port}/ready`);
      expect(ready.status).toBe(200);
      expect(await server.stop()).toBe(0);
    } finally {
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
    }
  });
});
