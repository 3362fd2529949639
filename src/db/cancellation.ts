import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

// The request's deadline reaches the driver through async context rather than
// through every query function's arguments: SQL stays plain `(db, …)` functions.
const scope = new AsyncLocalStorage<AbortSignal>();

/** Runs `work` so that a Postgres statement it has running when `signal` aborts is cancelled on the server. */
export function runCancellable<T>(signal: AbortSignal, work: () => T): T {
  return scope.run(signal, work);
}

/** What pg keeps private but a cancel request needs; present in pg 8, exercised by the tests on Postgres. */
interface ClientInternals {
  _getActiveQuery(): unknown;
  readonly processID: number;
  readonly secretKey: number;
  readonly host: string;
  readonly port: number;
  readonly connection: {
    on(event: 'error' | 'connect', listener: () => void): void;
    connect(portOrPath: number | string, host?: string): void;
    cancel(processID: number, secretKey: number): void;
  };
}

/**
 * A pg client whose statements stop on the server when their request's signal
 * aborts: pg has no AbortSignal support, so this sends Postgres's own cancel
 * request (a separate connection carrying the backend's key). Like every
 * cancel request it races the statement's end: a statement finishing at that
 * instant is unaffected, since Postgres ignores a cancel for an idle backend.
 */
export class CancellableClient extends pg.Client {
  readonly #config: pg.ClientConfig;

  constructor(config: pg.ClientConfig = {}) {
    super(config);
    this.#config = config;
  }

  // pg declares a dozen overloads of `query`, so `any` stands for theirs. A call with a callback
  // (in its arguments or its config) or a submittable such as a cursor goes to pg unchanged.
  override query(...args: any[]): any {
    const [config] = args as [{ submit?: unknown; callback?: unknown } | string | undefined];
    const withCallback = typeof args.at(-1) === 'function' || (typeof config === 'object' && (typeof config?.submit === 'function' || typeof config?.callback === 'function'));
    if (withCallback) return (super.query as (...a: unknown[]) => unknown)(...args);
    const signal = scope.getStore();
    // A request past its deadline starts no more statements.
    if (signal?.aborted) return Promise.reject(signal.reason);
    const result = this.#answered(config, args[1]);
    if (signal === undefined) return result;
    const onAbort = () => this.#cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    const forget = () => signal.removeEventListener('abort', onAbort);
    result.then(forget, forget);
    return result;
  }

  /**
   * pg's promise, made here from its callback form. Until V8 optimizes pg's
   * `Client#query`, which took 10,000 to 30,000 requests here, every statement's
   * rows answered through pg's own promise outlived the next scavenge: each
   * promoted about 1.2 MB to the old generation and took 2.4–2.9 ms at the
   * median instead of 0.8–0.9, the p99 of a cheap request. Through its callback
   * none do (tests/statement-memory.test.ts; bench/RESULTS.md, "Twelfth session").
   */
  #answered(config: unknown, values: unknown): Promise<pg.QueryResult> {
    let settle!: (error: Error | undefined, result: pg.QueryResult) => void;
    const answered = new Promise<pg.QueryResult>((resolve, reject) => {
      settle = (error, result) => (error ? reject(error) : resolve(result));
    });
    // pg's types declare no `(config, values, callback)` overload; pg takes it. Outside the
    // promise, so what pg throws at once (a missing config) is thrown at once, as before.
    (super.query as (...a: unknown[]) => void)(config, values, settle);
    return answered.catch((error: unknown) => {
      // As pg does: a stack leading back to the caller rather than to the socket's read.
      if (error instanceof Error) Error.captureStackTrace(error);
      throw error;
    });
  }

  // What pg's own Client#cancel does, without its deprecated `activeQuery` getter: a fresh
  // connection, set up as this client's was (TLS included), carrying this backend's key.
  #cancel(): void {
    const self = this as unknown as ClientInternals;
    if (self._getActiveQuery() == null) return;
    const { connection, host, port } = new pg.Client(this.#config) as unknown as ClientInternals;
    // The cancel connection failing (the database just went away) must not crash anything.
    connection.on('error', () => {});
    connection.on('connect', () => connection.cancel(self.processID, self.secretKey));
    if (host.startsWith('/')) connection.connect(`${host}/.s.PGSQL.${port}`);
    else connection.connect(port, host);
  }
}
