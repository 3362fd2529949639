/** One thing wrong with the seeds, located as precisely as the validator can. */
export interface SeedProblem {
  readonly file: string;
  /** The record's slug, or its position (`#3`) when it has none. */
  readonly record?: string;
  readonly field?: string;
  readonly message: string;
}

// Apart from the validator (seed-files.ts) so that the server's entry point can
// recognise this error without importing the YAML parser and zod, which a warm start never needs.
export class SeedValidationError extends Error {
  constructor(readonly problems: readonly SeedProblem[]) {
    super(`${problems.length} problem(s) in the seeds:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'SeedValidationError';
  }
}

export function formatProblem({ file, record, field, message }: SeedProblem): string {
  return [file, record, field].filter((part) => part !== undefined).join(' › ') + `: ${message}`;
}
