import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DATA_DIR, describeDatabase, loadConfig } from '../src/config.js';
import { runRefusedServer } from './helpers/server-process.js';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
};

describe('configuration', () => {
  it('defaults to the embedded database on disk, port 4000, loopback, info logs', () => {
    expect(loadConfig({})).toMatchObject({ database: { engine: 'pglite', dataDir: DEFAULT_DATA_DIR }, port: 4000, host: '127.0.0.1', logLevel: 'info' });
  });

  it('chooses the engine from DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'memory://' }).database).toEqual({ engine: 'pglite', dataDir: null });
    for (const url of ['postgres://kb:secret@db.internal:5432/kb', 'postgresql://localhost/kb']) {
      expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ engine: 'postgres', url });
    }
  });

  it('takes PORT, HOST and LOG_LEVEL', () => {
    expect(loadConfig({ PORT: '0', HOST: '0.0.0.0', LOG_LEVEL: 'DEBUG' })).toMatchObject({ port: 0, host: '0.0.0.0', logLevel: 'debug' });
  });

  it('never shows a password when it describes the database', () => {
    const described = describeDatabase(loadConfig({ DATABASE_URL: 'postgres://kb:secret@db:5432/kb' }).database);
    expect(described).not.toContain('secret');
    expect(described).toContain('db:5432/kb');
  });

  it.each([
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL is not a valid URL/],
    [{ DATABASE_URL: 'mysql://localhost/kb' }, /DATABASE_URL must be postgres/],
    [{ DATABASE_URL: 'postgres://' }, /DATABASE_URL has no host/],
    [{ PORT: '65536' }, /PORT must be an integer from 0 to 65535/],
    [{ PORT: '-1' }, /PORT/],
    [{ PORT: '80.5' }, /PORT/],
    [{ PORT: 'http' }, /PORT/],
    [{ HOST: 'a host' }, /HOST/],
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL must be one of/],
  ])('refuses %j', (env, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('reports every problem at once, with a password in a bad URL masked', () => {
    const problems = problemsOf({ DATABASE_URL: 'redis://user:hunter2@cache', PORT: '99999', LOG_LEVEL: 'loud' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('makes the server exit with code 1 and a clear message, no stack trace', async () => {
    const { code, output } = await runRefusedServer({ PORT: '70000', DATABASE_URL: 'memory://' });
    expect(code).toBe(1);
    expect(output).toContain("PORT must be an integer from 0 to 65535 (0 picks a free port); got '70000'");
    expect(output).not.toMatch(/\n\s+at /);
  });
});
