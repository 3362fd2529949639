import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { loadSeeds } from './db/seed.js';
import { checkCoverage } from './db/seed-coverage.js';
import { readSeeds } from './db/seed-files.js';
import { formatProblem, SeedValidationError } from './db/seed-problems.js';

const USAGE = `usage: cli <command>
  migrate            apply pending migrations
  seed [--reset]     migrate, then load seeds/ into an empty knowledge base (--reset replaces what it holds)
  check-seeds        validate seeds/ without touching any database, coverage of the documents included
  seeds-coverage [-v] print the share of the documents' sentences that records cite, and the sentences they do not`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    reset: { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const [command] = positionals;

try {
  if (values.help || command === undefined) {
    console.log(USAGE);
    process.exitCode = command === undefined && !values.help ? 1 : 0;
  } else if (command === 'check-seeds') {
    const seeds = readSeeds();
    const { problems } = checkCoverage(seeds);
    if (problems.length > 0) throw new SeedValidationError(problems);
    const links = seeds.events.flatMap((e) => e.measure?.inResponseTo ?? []);
    console.log(
      `seeds are valid: ${seeds.sources.length} sources, ${seeds.actors.length} actors, ${seeds.places.length} places, ` +
        `${seeds.events.length} events (${seeds.events.filter((e) => e.attestation === 'ALLEGED').length} alleged, ` +
        `${seeds.events.filter((e) => e.measure).length} measures with ${links.length} response links), ${seeds.claims.length} claims; ` +
        'every sentence of the documents is cited or skipped with a reason',
    );
  } else if (command === 'seeds-coverage') {
    const { sentences, problems } = checkCoverage(readSeeds());
    const cited = sentences.filter((s) => s.covered).length;
    const skipped = sentences.filter((s) => !s.covered && s.skipped !== null).length;
    const percent = (n: number) => `${((100 * n) / Math.max(1, sentences.length)).toFixed(1)}%`;
    console.log(
      `${sentences.length} sentences: ${cited} cited (${percent(cited)}), ${skipped} skipped with a reason (${percent(skipped)}), ` +
        `${sentences.length - cited - skipped} uncovered; covered: ${percent(cited + skipped)}`,
    );
    for (const sentence of sentences.filter((s) => !s.covered && s.skipped === null)) console.log(`  uncovered (${sentence.source}): ${sentence.text}`);
    if (values.verbose) {
      for (const sentence of sentences.filter((s) => s.covered && s.share < 0.5)) {
        console.log(`  thinly cited, ${Math.round(sentence.share * 100)}% (${sentence.source}): ${sentence.text}`);
      }
    }
    for (const problem of problems.filter((p) => p.record === undefined)) console.log(`  ${formatProblem(problem)}`);
    if (problems.length > 0) process.exitCode = 1;
  } else if (command === 'migrate' || command === 'seed') {
    const config = loadConfig();
    const seeds = command === 'seed' ? readSeeds() : undefined;
    const database = await openDatabase(config.database);
    try {
      const applied = await migrateToLatest(database.db);
      console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'no pending migrations');
      if (seeds !== undefined) {
        const result = await loadSeeds(database.db, seeds, values.reset ? 'reset' : 'if-empty', (message) => console.log(`  ${message}`));
        const counts = Object.entries(result.counts).map(([kind, n]) => `${n} ${kind}`).join(', ');
        if (result.status === 'loaded') console.log(`loaded the seeds into ${database.location}: ${counts}`);
        if (result.status === 'unchanged') console.log(`${database.location} already holds these seeds (${counts}); nothing to do`);
        if (result.status === 'other-data') {
          console.error(`${database.location} holds other data (${counts}); run with --reset to replace it with the seeds`);
          process.exitCode = 1;
        }
      }
    } finally {
      await database.close();
    }
  } else {
    console.error(`unknown command '${command}'\n${USAGE}`);
    process.exitCode = 1;
  }
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof SeedValidationError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
