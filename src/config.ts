import path from 'node:path';

/** Where the knowledge base lives: an embedded PGlite (on disk or in memory) or a Postgres server. */
export type DatabaseTarget =
  | { readonly engine: 'pglite'; readonly dataDir: string | null }
  | {
      readonly engine: 'postgres';
      readonly url: string;
      /**
       * Prepare each statement once per connection (true when absent); false behind a pooler that
       * cannot keep them per client, such as PgBouncer in transaction mode before 1.21. Part of the
       * target, so the server, its start-up migrations and the CLI all talk to the database alike.
       */
      readonly preparedStatements?: boolean;
    };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  readonly database: DatabaseTarget;
  readonly port: number;
  readonly host: string;
  readonly logLevel: LogLevel;
  readonly timeouts: Timeouts;
  /** Shared store for the response cache and persisted queries, so instances share them; null keeps them in memory. */
  readonly redisUrl: string | null;
  /** Allow-list mode: only the persisted operations (schema/examples.graphql) run, by hash. */
  readonly persistedOperationsOnly: boolean;
  readonly limits: OperationLimits;
  readonly cors: CorsConfig;
  readonly rateLimit: RateLimitConfig | null;
  /** Megabytes of answers' JSON the in-process response cache may hold (RESPONSE_CACHE_MB); Redis, when set, has its own limits. */
  readonly responseCacheMb: number;
}

/** Milliseconds; 0 turns one off. The Postgres ones are set on every session the server opens. */
export interface Timeouts {
  /** Postgres `statement_timeout`. */
  readonly statementMs: number;
  /** Postgres `lock_timeout`. */
  readonly lockMs: number;
  /** Postgres `idle_in_transaction_session_timeout`. */
  readonly idleInTransactionMs: number;
  /** How long a query waits for a pooled connection, or for a new one to open. */
  readonly poolWaitMs: number;
  /** The deadline of a whole GraphQL request. */
  readonly requestMs: number;
}

/** Each timeout's environment variable and default. */
export const TIMEOUT_VARIABLES = {
  statementMs: ['DB_STATEMENT_TIMEOUT_MS', 5_000],
  lockMs: ['DB_LOCK_TIMEOUT_MS', 1_000],
  idleInTransactionMs: ['DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', 10_000],
  poolWaitMs: ['DB_POOL_TIMEOUT_MS', 5_000],
  requestMs: ['REQUEST_TIMEOUT_MS', 10_000],
} as const satisfies Record<keyof Timeouts, readonly [string, number]>;

/** What one request may ask for; every bound is refused before execution with its own error code. */
export interface OperationLimits {
  readonly depth: number;
  readonly aliases: number;
  readonly tokens: number;
  readonly directives: number;
  readonly cost: number;
  readonly stringLength: number;
  readonly listLength: number;
  readonly bodyBytes: number;
}

export interface CorsConfig {
  /** `*` (any origin, without credentials) or an allow-list of origins. */
  readonly origins: '*' | readonly string[];
  readonly credentials: boolean;
}

/** A budget of cost points per client and window; null when RATE_LIMIT_POINTS=0. */
export interface RateLimitConfig {
  readonly points: number;
  readonly windowSeconds: number;
  /** Keys a client may send in `x-api-key` to get a budget of its own, instead of its IP's. */
  readonly apiKeys: readonly string[];
  /** Prefix of the counters' keys, so deployments can share one Redis. */
  readonly keyPrefix: string;
}

/** Each limit's environment variable and default, also documented in README (RELIABILITY). */
export const LIMIT_VARIABLES = {
  depth: ['MAX_DEPTH', 12],
  aliases: ['MAX_ALIASES', 30],
  tokens: ['MAX_TOKENS', 3000],
  directives: ['MAX_DIRECTIVES', 20],
  cost: ['MAX_COST', 50_000],
  stringLength: ['MAX_STRING_LENGTH', 500],
  listLength: ['MAX_LIST_LENGTH', 100],
  bodyBytes: ['MAX_BODY_BYTES', 1_000_000],
} as const satisfies Record<keyof OperationLimits, readonly [string, number]>;

/** The embedded database's directory when DATABASE_URL is unset; `./data/` is ignored by git. */
export const DEFAULT_DATA_DIR = path.join('data', 'pglite');

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** For an entry point: the configuration, or every problem printed and exit 1, with no stack trace. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/** The only reader of the environment. Collects every problem before failing, so one start shows them all. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  // A blank value means the default, as for every other variable.
  const preparedStatements = parseBoolean('DB_PREPARED_STATEMENTS', env.DB_PREPARED_STATEMENTS?.trim() || 'true', problems);
  const database = parseDatabaseUrl(env.DATABASE_URL, preparedStatements, problems);
  const port = parsePort(env.PORT, problems);
  const host = parseHost(env.HOST, problems);
  const logLevel = parseLogLevel(env.LOG_LEVEL, problems);
  const timeouts = parseTimeouts(env, problems);
  const persistedOperationsOnly = parseBoolean('PERSISTED_OPERATIONS_ONLY', env.PERSISTED_OPERATIONS_ONLY, problems);
  const limits = Object.freeze(
    Object.fromEntries(
      Object.entries(LIMIT_VARIABLES).map(([key, [name, fallback]]) => [key, parsePositiveInteger(name, env[name], fallback, 1, problems)]),
    ) as unknown as OperationLimits,
  );
  const cors = parseCors(env.CORS_ORIGINS, env.CORS_CREDENTIALS, problems);
  const rateLimit = parseRateLimit(env, problems);
  const redisUrl = parseRedisUrl(env.REDIS_URL, problems);
  const responseCacheMb = parsePositiveInteger('RESPONSE_CACHE_MB', env.RESPONSE_CACHE_MB, 8, 1, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    database: database!,
    port: port!,
    host: host!,
    logLevel: logLevel!,
    timeouts,
    limits,
    cors,
    rateLimit,
    redisUrl: redisUrl!,
    persistedOperationsOnly: persistedOperationsOnly!,
    responseCacheMb,
  });
}

/** A URL without its password, for logs. */
export function describeDatabase(target: DatabaseTarget): string {
  if (target.engine === 'pglite') return target.dataDir ?? 'memory://';
  const url = new URL(target.url);
  if (url.password) url.password = '***';
  return url.toString();
}

function parseDatabaseUrl(value: string | undefined, preparedStatements: boolean, problems: string[]): DatabaseTarget | undefined {
  if (value === undefined || value.trim() === '') return { engine: 'pglite', dataDir: DEFAULT_DATA_DIR };
  if (value === 'memory://') return { engine: 'pglite', dataDir: null };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`DATABASE_URL is not a valid URL: '${redact(value)}'`);
    return undefined;
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    problems.push(
      `DATABASE_URL must be postgres://…, postgresql://… or memory:// (or unset for ./data/); got '${url.protocol}//…'`,
    );
    return undefined;
  }
  if (url.hostname === '' && !url.searchParams.has('host')) {
    problems.push(`DATABASE_URL has no host: '${redact(value)}'`);
    return undefined;
  }
  return { engine: 'postgres', url: value, preparedStatements };
}

function parsePort(value: string | undefined, problems: string[]): number | undefined {
  if (value === undefined || value.trim() === '') return 4000;
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(port) || port > 65535) {
    problems.push(`PORT must be an integer from 0 to 65535 (0 picks a free port); got '${value}'`);
    return undefined;
  }
  return port;
}

function parseHost(value: string | undefined, problems: string[]): string | undefined {
  if (value === undefined || value.trim() === '') return '127.0.0.1';
  if (/\s|\//.test(value)) {
    problems.push(`HOST must be a host name or IP address; got '${value}'`);
    return undefined;
  }
  return value;
}

function parseLogLevel(value: string | undefined, problems: string[]): LogLevel | undefined {
  if (value === undefined || value.trim() === '') return 'info';
  const level = value.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got '${value}'`);
    return undefined;
  }
  return level as LogLevel;
}

function parseTimeouts(env: NodeJS.ProcessEnv, problems: string[]): Timeouts {
  const entries = Object.entries(TIMEOUT_VARIABLES).map(([key, [name, fallback]]) => {
    const value = env[name];
    if (value === undefined || value.trim() === '') return [key, fallback];
    // Postgres takes at most 2^31 - 1 ms for its timeouts.
    if (!/^\d+$/.test(value.trim()) || Number(value) > 2_147_483_647) {
      problems.push(`${name} must be a whole number of milliseconds (0 turns it off); got '${value}'`);
      return [key, fallback];
    }
    return [key, Number(value)];
  });
  return Object.freeze(Object.fromEntries(entries)) as unknown as Timeouts;
}

function parsePositiveInteger(name: string, value: string | undefined, fallback: number, min: number, problems: string[]): number {
  if (value === undefined || value.trim() === '') return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min) {
    problems.push(`${name} must be an integer of at least ${min}; got '${value}'`);
    return fallback;
  }
  return number;
}

function parseCors(origins: string | undefined, credentials: string | undefined, problems: string[]): CorsConfig {
  const allowCredentials = parseBoolean('CORS_CREDENTIALS', credentials, problems);
  if (origins === undefined || origins.trim() === '' || origins.trim() === '*') {
    // Browsers refuse credentials with a wildcard origin; say so at start-up rather than in a console.
    if (allowCredentials) problems.push('CORS_CREDENTIALS=true needs CORS_ORIGINS to list the allowed origins, not *');
    return Object.freeze({ origins: '*', credentials: false });
  }
  const list = origins.split(',').map((origin) => origin.trim()).filter(Boolean);
  for (const origin of list) {
    let url: URL | null = null;
    try {
      url = new URL(origin);
    } catch {}
    if (url === null || url.origin !== origin) problems.push(`CORS_ORIGINS must list origins such as https://example.org (no path); got '${origin}'`);
  }
  return Object.freeze({ origins: Object.freeze(list), credentials: allowCredentials });
}

function parseBoolean(name: string, value: string | undefined, problems: string[]): boolean {
  const normalized = (value ?? '').trim().toLowerCase();
  if (['', '0', 'false', 'no', 'off'].includes(normalized)) return false;
  if (['1', 'true', 'yes', 'on'].includes(normalized)) return true;
  problems.push(`${name} must be true or false; got '${value}'`);
  return false;
}

function parseRateLimit(env: NodeJS.ProcessEnv, problems: string[]): RateLimitConfig | null {
  const points = parsePositiveInteger('RATE_LIMIT_POINTS', env.RATE_LIMIT_POINTS, 1_000_000, 0, problems);
  const windowSeconds = parsePositiveInteger('RATE_LIMIT_WINDOW_SECONDS', env.RATE_LIMIT_WINDOW_SECONDS, 60, 1, problems);
  const apiKeys = (env.API_KEYS ?? '').split(',').map((key) => key.trim()).filter(Boolean);
  if (apiKeys.some((key) => key.length < 16)) problems.push('API_KEYS must be comma-separated keys of at least 16 characters each');
  if (points === 0) return null;
  const keyPrefix = env.RATE_LIMIT_KEY_PREFIX?.trim() || 'rate-limit';
  return Object.freeze({ points, windowSeconds, apiKeys: Object.freeze(apiKeys), keyPrefix });
}

function parseRedisUrl(value: string | undefined, problems: string[]): string | null | undefined {
  if (value === undefined || value.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`REDIS_URL is not a valid URL: '${redact(value)}'`);
    return undefined;
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    problems.push(`REDIS_URL must be redis://… or rediss://…; got '${url.protocol}//…'`);
    return undefined;
  }
  return value;
}

function redact(value: string): string {
  return value.replace(/:\/\/([^:@/]*):[^@/]*@/, '://$1:***@');
}
