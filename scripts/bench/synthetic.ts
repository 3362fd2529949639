import type { SeedSet } from '../../src/db/seed-files.js';
import { ACTOR_KINDS, EVENT_CATEGORIES, MEASURE_KINDS, PARTICIPANT_ROLES } from '../../src/domain.js';

/**
 * A knowledge base of `events` invented events, for benchmarks only: the
 * shape of the real one (participants, measures answering earlier events,
 * contradicting claims, citations of a held text) at a size it will never
 * reach. Deterministic, so runs compare.
 */
/** A link drawn by the synthetic document; a fixed passage, so the random sequence stays as it was. */
const respondsTo = (event: string) => ({ event, attestation: 'REPORTED' as const, assertedBy: null, citations: [{ source: 'synthetic-document', quote: 'passage 0 about' }] });

export function syntheticSeeds(events: number): SeedSet {
  let state = 42;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

  const words = ['border', 'summit', 'airline', 'crash', 'raid', 'office', 'diaspora', 'court', 'ministry', 'embassy', 'visit', 'tour', 'arrest', 'statement', 'investigation'];
  const text = Array.from({ length: 2000 }, (_, i) => `passage ${i} about the ${pick(words)} and the ${pick(words)}.`).join(' ');
  const quote = () => `passage ${Math.floor(random() * 2000)} about`;
  const cite = () => [{ source: 'synthetic-document', quote: quote() }];

  const actors = Array.from({ length: 300 }, (_, i) => ({
    slug: `actor-${i}`,
    name: `Actor ${i} ${pick(words)}`,
    kind: i < 10 ? ('STATE' as const) : pick(ACTOR_KINDS.filter((kind) => kind !== 'STATE')),
    aliases: i % 3 === 0 ? [`Alias ${i}`] : [],
    description: null,
    country: i < 10 ? null : `actor-${i % 10}`,
    affiliations: i >= 10 && i % 4 === 0 ? [{ organization: `actor-${10 + ((i + 1) % 290)}`, role: 'member' }] : [],
    citations: cite(),
  }));

  const eventSeeds = Array.from({ length: events }, (_, i) => {
    const year = 2000 + Math.floor((i / events) * 26);
    const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
    const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
    const precision = random();
    const initiator = pick(actors.slice(0, 10)).slug;
    let target = pick(actors.slice(0, 10)).slug;
    if (target === initiator) target = initiator === 'actor-0' ? 'actor-1' : 'actor-0';
    return {
      slug: `event-${i}`,
      title: `Event ${i}: ${pick(words)} ${pick(words)}`,
      summary: `Something about the ${pick(words)} in the ${pick(words)}.`,
      category: pick(EVENT_CATEGORIES),
      attestation: 'REPORTED' as const,
      date: precision < 0.1 ? `${year}` : precision < 0.3 ? `${year}-${month}` : `${year}-${month}-${day}`,
      note: null,
      place: null,
      fatalities: random() < 0.1 ? Math.floor(random() * 50) : null,
      injured: null,
      participants: [
        { actor: initiator, role: 'INITIATOR' as const, note: null },
        { actor: pick(actors.slice(10)).slug, role: pick(PARTICIPANT_ROLES.filter((role) => role !== 'INITIATOR')), note: null },
      ],
      citations: cite(),
      measure:
        i > 0 && i % 3 === 0
          ? { kind: pick(MEASURE_KINDS), initiator, target, inResponseTo: [respondsTo(`event-${i - 1 - Math.floor(random() * Math.min(i, 20))}`)], citations: cite() }
          : null,
    };
  });

  const claims = Array.from({ length: Math.floor(events / 4) }, (_, i) => ({
    slug: `claim-${i}`,
    statement: `Claim ${i} that the ${pick(words)} was a ${pick(words)}.`,
    claimant: pick(actors).slug,
    about: [`event-${Math.floor(random() * events)}`],
    contradicts: i % 2 === 1 ? [`claim-${i - 1}`] : [],
    note: null,
    citations: cite(),
  }));

  return {
    sources: [
      {
        slug: 'synthetic-document',
        kind: 'OTHER',
        title: 'Synthetic benchmark document',
        author: null,
        publisher: null,
        url: null,
        publishedOn: null,
        note: null,
        textFile: null,
        text,
        cites: [],
        citations: [{ source: 'synthetic-document', quote: 'passage 0 about' }],
      },
    ],
    actors,
    places: [],
    events: eventSeeds,
    claims,
    digest: `synthetic-${events}`,
  };
}
