import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { startFlags } from '../scripts/bench/start-command.js';
import { loadConfig } from '../src/config.js';

// Docker cannot run on the build machines, so the files are checked against the code instead.
const root = new URL('../', import.meta.url);
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8'));
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
const configSource = readFileSync(new URL('src/config.ts', root), 'utf8');
const variablesTheCodeReads = new Set([...configSource.matchAll(/env\.([A-Z_]+)/g)].map((match) => match[1]));

/** The instructions of the Dockerfile's last stage: what the image runs with. */
const runtimeStage = dockerfile.split(/^FROM /m).at(-1)!;
const dockerEnv = Object.fromEntries([...runtimeStage.matchAll(/^ENV (.+)$/gm)].flatMap((match) => match[1]!.split(/\s+/).map((pair) => pair.split('='))));

describe('docker-compose.yml and the Dockerfile', () => {
  it('run postgres:18 with a health check and a volume for its data', () => {
    const postgres = compose.services.postgres;
    expect(postgres.image).toBe('postgres:18');
    expect(postgres.healthcheck.test.join(' ')).toContain('pg_isready');
    const [volume, mountPoint] = postgres.volumes[0].split(':');
    expect(Object.keys(compose.volumes)).toContain(volume);
    expect(mountPoint).toBe('/var/lib/postgresql');
  });

  it('build the server from the Dockerfile and start it once Postgres is healthy', () => {
    const server = compose.services.server;
    expect(server.build).toBe('.');
    expect(server.depends_on.postgres.condition).toBe('service_healthy');
  });

  it('set only variables the code reads, with values it accepts', () => {
    const environment = { ...dockerEnv, ...compose.services.server.environment };
    for (const name of Object.keys(environment).filter((name) => name !== 'NODE_ENV')) expect(variablesTheCodeReads).toContain(name);
    const config = loadConfig(environment);
    expect(config.database.engine).toBe('postgres');
    const url = new URL((config.database as { url: string }).url);
    expect(url.hostname).toBe('postgres');
    const postgresEnv = compose.services.postgres.environment;
    expect([decodeURIComponent(url.username), decodeURIComponent(url.password), url.pathname.slice(1)]).toEqual([
      postgresEnv.POSTGRES_USER,
      postgresEnv.POSTGRES_PASSWORD,
      postgresEnv.POSTGRES_DB,
    ]);
    expect(config.host).toBe('0.0.0.0');
  });

  it('publish the port the server listens on and the image exposes', () => {
    const port = loadConfig({ ...dockerEnv, ...compose.services.server.environment }).port;
    expect(compose.services.server.ports).toEqual([`${port}:${port}`]);
    expect(runtimeStage).toMatch(new RegExp(`^EXPOSE ${port}$`, 'm'));
    expect(runtimeStage).toContain(`/health`);
  });

  it('run Node 24 with production dependencies only, as a user that is not root', () => {
    expect(runtimeStage).toMatch(/^node:24/);
    expect(runtimeStage).toMatch(/npm ci --omit=dev/);
    const user = [...runtimeStage.matchAll(/^USER (\S+)$/gm)].at(-1)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
  });

  it('run a file that the build produces from a source that exists, with the data it reads, as npm start does', () => {
    const command = JSON.parse(runtimeStage.match(/^CMD (.+)$/m)![1]!);
    expect(command).toEqual(['node', ...startFlags(), 'dist/main.js']);
    const tsconfig = JSON.parse(readFileSync(new URL('tsconfig.build.json', root), 'utf8'));
    expect(tsconfig.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    expect(existsSync(new URL('src/main.ts', root))).toBe(true);
    for (const folder of ['seeds', 'schema']) expect(runtimeStage).toMatch(new RegExp(`^COPY ${folder} \\./${folder}$`, 'm'));
  });
});
