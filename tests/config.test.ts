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
    expect(loadConfig({})).toMatchObject({
      database: { engine: 'pglite', dataDir: DEFAULT_DATA_DIR },
      port: 4000,
      host: '127.0.0.1',
      logLevel: 'info',
      persistedOperationsOnly: false,
      timeouts: { statementMs: 5000, lockMs: 1000, idleInTransactionMs: 10000, poolWaitMs: 5000, requestMs: 10000 },
    });
  });

  it('takes every timeout from its variable, 0 turning it off', () => {
    const env = {
      DB_STATEMENT_TIMEOUT_MS: '250',
      DB_LOCK_TIMEOUT_MS: '0',
      DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '60000',
      DB_POOL_TIMEOUT_MS: '100',
      REQUEST_TIMEOUT_MS: '3000',
    };
    expect(loadConfig(env).timeouts).toEqual({ statementMs: 250, lockMs: 0, idleInTransactionMs: 60000, poolWaitMs: 100, requestMs: 3000 });
  });

  it('has documented defaults for the limits, CORS, rate limiting and Redis', () => {
    expect(loadConfig({})).toMatchObject({
      limits: { depth: 12, aliases: 30, tokens: 3000, directives: 20, cost: 50_000, stringLength: 500, listLength: 100, bodyBytes: 1_000_000 },
      cors: { origins: '*', credentials: false },
      rateLimit: { points: 1_000_000, windowSeconds: 60, apiKeys: [], keyPrefix: 'rate-limit' },
      redisUrl: null,
    });
  });

  it('takes every limit, CORS, rate limiting and Redis from the environment', () => {
    const config = loadConfig({
      MAX_DEPTH: '5',
      MAX_ALIASES: '1',
      MAX_TOKENS: '100',
      MAX_DIRECTIVES: '3',
      MAX_COST: '1000',
      MAX_STRING_LENGTH: '50',
      MAX_LIST_LENGTH: '10',
      MAX_BODY_BYTES: '4096',
      CORS_ORIGINS: 'https://a.example, https://b.example:8443',
      CORS_CREDENTIALS: 'true',
      RATE_LIMIT_POINTS: '500',
      RATE_LIMIT_WINDOW_SECONDS: '10',
      API_KEYS: 'key-aaaaaaaaaaaaaaaa,key-bbbbbbbbbbbbbbbb',
      REDIS_URL: 'redis://127.0.0.1:6379/2',
    });
    expect(config.limits).toEqual({ depth: 5, aliases: 1, tokens: 100, directives: 3, cost: 1000, stringLength: 50, listLength: 10, bodyBytes: 4096 });
    expect(config.cors).toEqual({ origins: ['https://a.example', 'https://b.example:8443'], credentials: true });
    expect(config.rateLimit).toMatchObject({ points: 500, windowSeconds: 10, apiKeys: ['key-aaaaaaaaaaaaaaaa', 'key-bbbbbbbbbbbbbbbb'] });
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379/2');
    expect(loadConfig({ RATE_LIMIT_POINTS: '0' }).rateLimit).toBeNull();
  });

  it('chooses the engine from DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'memory://' }).database).toEqual({ engine: 'pglite', dataDir: null });
    for (const url of ['postgres://kb:secret@db.internal:5432/kb', 'postgresql://localhost/kb']) {
      expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ engine: 'postgres', url, preparedStatements: true });
    }
  });

  it('takes DB_PREPARED_STATEMENTS, for PgBouncer in transaction mode, as part of the Postgres target', () => {
    const url = 'postgres://kb@db:5432/kb';
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ engine: 'postgres', url, preparedStatements: true });
    expect(loadConfig({ DATABASE_URL: url, DB_PREPARED_STATEMENTS: ' ' }).database).toMatchObject({ preparedStatements: true });
    expect(loadConfig({ DATABASE_URL: url, DB_PREPARED_STATEMENTS: 'false' }).database).toMatchObject({ preparedStatements: false });
    expect(problemsOf({ DB_PREPARED_STATEMENTS: 'sometimes' })).toEqual([expect.stringMatching(/DB_PREPARED_STATEMENTS must be true or false/)]);
  });

  it('takes PORT, HOST and LOG_LEVEL', () => {
    expect(loadConfig({ PORT: '0', HOST: '0.0.0.0', LOG_LEVEL: 'DEBUG' })).toMatchObject({ port: 0, host: '0.0.0.0', logLevel: 'debug' });
  });

  it('takes REDIS_URL, PERSISTED_OPERATIONS_ONLY and RESPONSE_CACHE_MB', () => {
    expect(loadConfig({}).responseCacheMb).toBe(8);
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2', PERSISTED_OPERATIONS_ONLY: 'true', RESPONSE_CACHE_MB: '64' })).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379/2',
      persistedOperationsOnly: true,
      responseCacheMb: 64,
    });
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
    [{ DB_STATEMENT_TIMEOUT_MS: '5s' }, /DB_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds/],
    [{ REQUEST_TIMEOUT_MS: '-1' }, /REQUEST_TIMEOUT_MS/],
    [{ DB_LOCK_TIMEOUT_MS: '2147483648' }, /DB_LOCK_TIMEOUT_MS/],
    [{ REDIS_URL: 'http://cache:6379' }, /REDIS_URL must be redis:/],
    [{ REDIS_URL: 'not a url' }, /REDIS_URL is not a valid URL/],
    [{ PERSISTED_OPERATIONS_ONLY: 'maybe' }, /PERSISTED_OPERATIONS_ONLY must be true or false/],
    [{ MAX_DEPTH: '0' }, /MAX_DEPTH must be an integer of at least 1/],
    [{ RESPONSE_CACHE_MB: '0' }, /RESPONSE_CACHE_MB must be an integer of at least 1/],
    [{ MAX_COST: 'lots' }, /MAX_COST must be an integer/],
    [{ MAX_TOKENS: '1.5' }, /MAX_TOKENS must be an integer/],
    [{ RATE_LIMIT_POINTS: '-1' }, /RATE_LIMIT_POINTS must be an integer of at least 0/],
    [{ RATE_LIMIT_WINDOW_SECONDS: '0' }, /RATE_LIMIT_WINDOW_SECONDS/],
    [{ API_KEYS: 'short' }, /API_KEYS must be comma-separated keys of at least 16 characters/],
    [{ CORS_ORIGINS: 'https://a.example/path' }, /CORS_ORIGINS must list origins/],
    [{ CORS_ORIGINS: 'not an origin' }, /CORS_ORIGINS must list origins/],
    [{ CORS_CREDENTIALS: 'true' }, /CORS_CREDENTIALS=true needs CORS_ORIGINS/],
    [{ CORS_CREDENTIALS: 'maybe' }, /CORS_CREDENTIALS must be true or false/],
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
  }, 120_000);
});
