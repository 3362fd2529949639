// Prints what the knowledge base holds, counted from seeds/, for the README: `npx tsx scripts/seed-counts.ts`.
import { checkCoverage } from '../src/db/seed-coverage.js';
import { readSeeds } from '../src/db/seed-files.js';

const seeds = readSeeds();
const measures = seeds.events.flatMap((event) => (event.measure ? [event.measure] : []));
const links = measures.flatMap((measure) => measure.inResponseTo);
const contested = new Set(seeds.claims.flatMap((claim) => (claim.contradicts.length > 0 ? [claim.slug, ...claim.contradicts] : [])));
const pairs = seeds.claims.reduce((n, claim) => n + claim.contradicts.length, 0);
const citations = [
  ...seeds.sources.flatMap((s) => s.citations),
  ...seeds.actors.flatMap((a) => a.citations),
  ...seeds.events.flatMap((e) => e.citations),
  ...measures.flatMap((m) => m.citations),
  ...links.flatMap((link) => link.citations),
  ...seeds.claims.flatMap((c) => c.citations),
];
const { sentences } = checkCoverage(seeds);
const count = <T>(list: readonly T[], test: (item: T) => boolean) => list.filter(test).length;

console.log(
  [
    `${seeds.sources.length} sources (${count(seeds.sources, (s) => s.text !== null)} held in full, ${count(seeds.sources, (s) => s.url != null)} cited addresses, ${count(seeds.sources, (s) => s.text === null && s.url == null)} cited by title only)`,
    `${seeds.actors.length} actors, ${seeds.places.length} places`,
    `${seeds.events.length} events (${count(seeds.events, (e) => e.attestation === 'REPORTED')} REPORTED, ${count(seeds.events, (e) => e.attestation === 'ALLEGED')} ALLEGED)`,
    `${measures.length} retaliatory measures with ${links.length} response links (${count(links, (l) => l.attestation === 'REPORTED')} REPORTED, ${count(links, (l) => l.attestation === 'ALLEGED')} ALLEGED; ${count(links, (l) => l.assertedBy != null)} drawn by a party)`,
    `${seeds.claims.length} claims (${count(seeds.claims, (c) => c.claimant != null)} with a claimant, ${count(seeds.claims, (c) => c.claimant == null)} in a source's own voice; ${contested.size} contested, in ${pairs} contradicting pairs)`,
    `${citations.length} citations (${links.flatMap((l) => l.citations).length} of them drawing response links)`,
    `${sentences.length} sentences in the two documents: ${count(sentences, (s) => s.covered)} cited, ${count(sentences, (s) => !s.covered && s.skipped !== null)} skipped with a reason`,
  ].join('\n'),
);
