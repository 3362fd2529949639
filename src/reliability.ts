import type { Plugin } from 'graphql-yoga';
import { runCancellable } from './db/cancellation.js';
import { classifyDatabaseError } from './db/faults.js';
import type { StartupStatus } from './db/startup.js';
import { maskError as maskClientMistakes } from './error-codes.js';
import { serviceUnavailable, timedOut } from './errors.js';

/**
 * Yoga's masking, except that a database out of reach or a statement cut by a
 * timeout is told to the client as such (with a code and a 503 or 504), since
 * the client can do something about it: retry later, or ask for less.
 */
export function maskError(error: unknown, message: string): Error {
  const fault = classifyDatabaseError(error);
  if (fault === 'unavailable') return serviceUnavailable('The database is unavailable or every connection is busy; retry shortly.');
  if (fault === 'timeout') return timedOut('A database statement ran past its time limit; ask for less, or retry later.');
  return maskClientMistakes(error, message);
}

/** Until the database is migrated and seeded, operations answer SERVICE_UNAVAILABLE (503) instead of failing on missing tables. */
export function useStartupGate(status: StartupStatus): Plugin {
  return {
    onExecute({ setResultAndStopExecution }) {
      if (!status.ready) setResultAndStopExecution({ errors: [serviceUnavailable(`The server is not ready yet (${status.reason}); retry shortly.`)] });
    },
  };
}

/**
 * Every operation gets `ms` to finish. At the deadline the execution is
 * aborted (no further resolver or statement starts), the Postgres statement
 * running for it is cancelled on the server, and the client gets TIMEOUT.
 * The embedded engine runs a statement inside this process, blocking the
 * timer, so there the deadline is checked only between statements.
 */
export function useRequestDeadline(ms: number): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (ms <= 0) return;
      const controller = new AbortController();
      let answerNow: (() => void) | undefined;
      const timer = setTimeout(() => {
        controller.abort(timedOut(`The request ran past its deadline of ${ms} ms; ask for less, or retry later.`));
        answerNow?.();
      }, ms);
      timer.unref();
      // Yoga's own executor stops at the signal; envelop's types do not have it yet.
      (args as { signal?: AbortSignal }).signal = controller.signal;
      setExecuteFn((execution) =>
        runCancellable(controller.signal, () => {
          const result = executeFn(execution);
          // graphql-jit (the executor here) does not watch the signal; what it still runs finds its
          // statements cancelled or refused. The client is answered at the deadline with its error alone.
          // The timer answers, not a listener on the signal: adding and removing one per request cost more.
          if (!(result instanceof Promise)) return result;
          return new Promise((resolve, reject) => {
            answerNow = () => resolve({ data: null, errors: [controller.signal.reason] });
            result.then(resolve, reject);
          });
        }),
      );
      return { onExecuteDone: () => clearTimeout(timer) };
    },
  };
}
