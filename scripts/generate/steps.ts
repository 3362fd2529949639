// The statements that fill a knowledge base with invented records, generated
// inside Postgres (a million events in minutes, where rows sent from Node would
// take an hour). Every value comes from hashint8extended(row number, salt), so a
// seed gives the same database every time. A step fills one table's current
// columns; a column added later with a default needs no change here, and one
// without a default gets its own expression in the step of its table.

import { CONTENT_TABLES } from '../../src/db/seed.js';

export interface Sizes {
  readonly events: number;
  readonly actors: number;
  readonly states: number;
  readonly places: number;
  readonly sources: number;
  readonly claims: number;
}

export function sizesFor(events: number): Sizes {
  const actors = Math.max(100, Math.round(events / 10));
  return {
    events,
    actors,
    states: Math.max(10, Math.min(200, Math.round(actors / 50))),
    places: Math.max(10, Math.min(1000, Math.round(events / 1000))),
    sources: Math.max(10, Math.min(10_000, Math.round(events / 100))),
    claims: Math.max(10, Math.round(events / 5)),
  };
}

export interface Step {
  readonly table: string;
  readonly sql: string;
}

const DAYS = 9497; // 2000-01-01 through 2025-12-31

const words = (list: string) => `(array[${list.split(' ').map((w) => `'${w}'`).join(',')}])`;
const SYLLABLES = words('ka ro vin tel mar dus an lek sor bai zen tov ris gul nar pet osh lan dim kur ya sha mir go');
const SURNAME_ENDINGS = words('ov ev in yan li zade ko');
const NOUNS = words(
  'border summit airline crash raid office diaspora court ministry embassy visit tour arrest statement investigation ' +
    'ban sanction pipeline festival broadcast protest detention trial delegation treaty',
);
const VERBS = words('announces condemns denies confirms suspends expels detains summons bans welcomes');
const CATEGORIES = words('INCIDENT CRIME LAW_ENFORCEMENT LEGAL DIPLOMATIC STATEMENT CULTURAL MEDIA OTHER');
const NON_STATE_KINDS = words('GOVERNMENT_BODY ORGANIZATION MEDIA_OUTLET PERSON GROUP');
const OTHER_ROLES = words('TARGET VICTIM SPOKESPERSON OTHER');
const MEASURE_KINDS = words('DIPLOMATIC CULTURAL MEDIA ENTRY_BAN LAW_ENFORCEMENT LEGAL ECONOMIC INFORMATION OTHER');
const SOURCE_KINDS = words('NEWS_REPORT ANALYSIS OPINION OFFICIAL_STATEMENT SOCIAL_MEDIA OTHER');

/** pg_temp functions the steps use: a uniform draw in [0, 1) and a pick in [0, n) per (row, salt). */
export function helpers(seed: number): string[] {
  return [
    `create function pg_temp.u(i bigint, salt int) returns float8 language sql immutable parallel safe as
      $$ select (hashint8extended(i, salt::bigint * 1000003 + ${seed}) & 9007199254740991)::float8 / 9007199254740992 $$`,
    `create function pg_temp.pick(i bigint, salt int, n int) returns int language sql immutable parallel safe as
      $$ select floor(pg_temp.u(i, salt) * n)::int $$`,
    `create function pg_temp.word(list text[], i bigint, salt int) returns text language sql immutable parallel safe as
      $$ select list[1 + pg_temp.pick(i, salt, cardinality(list))] $$`,
  ];
}

/** One step per table, parents first. */
export function steps(s: Sizes): Step[] {
  const nonStates = s.actors - s.states;
  // A measure's event is chosen by its id, so participants and the measure agree without reading each other.
  const isMeasure = (i: string) => `pg_temp.u(${i}, 30) < 0.1`;
  const stateA = (i: string) => `(1 + pg_temp.pick(${i}, 31, ${s.states}))`;
  const stateB = (i: string) => `(1 + (pg_temp.pick(${i}, 31, ${s.states}) + 1 + pg_temp.pick(${i}, 32, ${s.states - 1})) % ${s.states})`;
  const name = (i: string, salt: number) =>
    `initcap(pg_temp.word(${SYLLABLES}, ${i}, ${salt}) || pg_temp.word(${SYLLABLES}, ${i}, ${salt + 1}) || pg_temp.word(${SYLLABLES}, ${i}, ${salt + 2}))`;
  const surname = (i: string, salt: number) =>
    `initcap(pg_temp.word(${SYLLABLES}, ${i}, ${salt}) || pg_temp.word(${SYLLABLES}, ${i}, ${salt + 1}) || pg_temp.word(${SURNAME_ENDINGS}, ${i}, ${salt + 2}))`;
  const citations = (subject: string, count: number | string, salt: number, perRecord: number) => ({
    table: 'citation',
    sql: `insert into citation (source_id, quote, ${subject})
      select 1 + pg_temp.pick(i * 8 + k, ${salt}, ${s.sources}),
             'the ' || pg_temp.word(${NOUNS}, i * 8 + k, ${salt + 1}) || ' ' || pg_temp.word(${VERBS}, i * 8 + k, ${salt + 2}) || ' the ' || pg_temp.word(${NOUNS}, i * 8 + k, ${salt + 3}),
             i
      from generate_series(1, ${count}) i, generate_series(1, pg_temp.pick(i, ${salt + 4}, ${perRecord * 2 + 1})) k
      order by i, k`,
  });

  return [
    {
      table: 'source',
      sql: `insert into source (id, slug, kind, title, author, publisher, url, published_earliest, published_latest, published_precision)
        select i, 'source-' || i, pg_temp.word(${SOURCE_KINDS}, i, 1),
               initcap(pg_temp.word(${NOUNS}, i, 2)) || ' and the ' || pg_temp.word(${NOUNS}, i, 3),
               case when pg_temp.u(i, 4) < 0.6 then ${name('i', 5)} || ' ' || ${surname('i', 8)} end,
               'Publisher ' || (1 + pg_temp.pick(i, 11, 200)),
               'https://news.example/' || (1 + pg_temp.pick(i, 11, 200)) || '/' || i,
               d, d, 'DAY'
        from generate_series(1, ${s.sources}) i, lateral (select date '2000-01-01' + pg_temp.pick(i, 12, ${DAYS}) as d) day`,
    },
    {
      table: 'source_reference',
      sql: `insert into source_reference (citing_source_id, cited_source_id)
        select i, 1 + pg_temp.pick(i, 20, i - 1) from generate_series(2, ${s.sources}) i where pg_temp.u(i, 21) < 0.2`,
    },
    {
      table: 'actor',
      // Names are unique up to case; the rare repeat of a generated name gets a number.
      sql: `insert into actor (id, slug, name, kind, description, country_id)
        select i, 'actor-' || i, case when n = 1 then base else base || ' ' || n end,
               case when i <= ${s.states} then 'STATE' else pg_temp.word(${NON_STATE_KINDS}, i, 40) end,
               case when pg_temp.u(i, 41) < 0.3 then 'A ' || lower(pg_temp.word(${NOUNS}, i, 42)) || ' actor' end,
               case when i > ${s.states} and pg_temp.u(i, 43) < 0.9 then 1 + pg_temp.pick(i, 44, ${s.states}) end
        from (
          select i, base, row_number() over (partition by lower(base) order by i) as n
          from (select i, ${name('i', 45)} || ' ' || ${surname('i', 48)} as base from generate_series(1, ${s.actors}) i) named
        ) numbered
        order by i`,
    },
    {
      table: 'actor_alias',
      // Another transliteration for half the actors, initials for a fifth.
      sql: `insert into actor_alias (actor_id, alias, position)
        select actor_id, case when n = 1 then alias else alias || ' ' || n end, position
        from (
          select actor_id, alias, position, row_number() over (partition by lower(alias) order by actor_id, position) as n
          from (
            select id as actor_id, translate(replace(replace(name, 'ov', 'off'), 'sh', 'ch'), 'kvyKVY', 'cwiCWI') as alias, 0 as position
            from actor where pg_temp.u(id, 52) < 0.5
            union all
            select id, left(name, 1) || '. ' || split_part(name, ' ', 2), 1 from actor where pg_temp.u(id, 53) < 0.2
          ) aliases
        ) numbered`,
    },
    {
      table: 'affiliation',
      sql: `insert into affiliation (member_id, organization_id, role)
        select i, orgs.ids[1 + pg_temp.pick(i, 60, cardinality(orgs.ids))], case when pg_temp.u(i, 61) < 0.5 then 'member' end
        from generate_series(${s.states + 1}, ${s.actors}) i,
             (select array_agg(id order by id) as ids from actor where kind = 'ORGANIZATION') orgs
        where pg_temp.u(i, 62) < 0.1 and orgs.ids[1 + pg_temp.pick(i, 60, cardinality(orgs.ids))] <> i`,
    },
    {
      table: 'place',
      sql: `insert into place (id, slug, name, country_id)
        select i, 'place-' || i, ${name('i', 70)} || ' ' || i, 1 + pg_temp.pick(i, 73, ${s.states}) from generate_series(1, ${s.places}) i`,
    },
    {
      table: 'event',
      // 70% dated to a day, 20% to a month, 10% to a year, uniformly over 2000–2025.
      sql: `insert into event (id, slug, title, summary, category, date_earliest, date_latest, date_precision, place_id, fatalities, injured)
        select i, 'event-' || i,
               initcap(pg_temp.word(${NOUNS}, i, 80)) || ' ' || pg_temp.word(${NOUNS}, i, 81) || ' ' || i,
               'The ' || pg_temp.word(${NOUNS}, i, 82) || ' ' || pg_temp.word(${VERBS}, i, 83) || ' the ' || pg_temp.word(${NOUNS}, i, 84) || '.',
               pg_temp.word(${CATEGORIES}, i, 85),
               case when p < 0.7 then d when p < 0.9 then date_trunc('month', d)::date else date_trunc('year', d)::date end,
               case when p < 0.7 then d when p < 0.9 then (date_trunc('month', d) + interval '1 month - 1 day')::date
                    else (date_trunc('year', d) + interval '1 year - 1 day')::date end,
               case when p < 0.7 then 'DAY' when p < 0.9 then 'MONTH' else 'YEAR' end,
               case when pg_temp.u(i, 86) < 0.3 then 1 + pg_temp.pick(i, 87, ${s.places}) end,
               case when pg_temp.u(i, 88) < 0.1 then pg_temp.pick(i, 89, 50) end,
               case when pg_temp.u(i, 90) < 0.1 then pg_temp.pick(i, 91, 200) end
        from generate_series(1, ${s.events}) i,
             lateral (select date '2000-01-01' + pg_temp.pick(i, 92, ${DAYS}) as d, pg_temp.u(i, 93) as p) draw`,
    },
    {
      table: 'participant',
      // 1–4 distinct actors; a measure's event has its initiating and target states first.
      sql: `insert into participant (event_id, actor_id, role, position)
        select i,
               case when k = 0 and (m or pg_temp.u(i, 100) < 0.5) then ${stateA('i')}
                    when k = 1 and m then ${stateB('i')}
                    else ${s.states + 1} + (pg_temp.pick(i, 101, ${nonStates}) + k * (1 + pg_temp.pick(i, 102, ${Math.max(1, Math.floor(nonStates / 4) - 1)}))) % ${nonStates} end,
               case when k = 0 then 'INITIATOR' when k = 1 and m then 'TARGET' else pg_temp.word(${OTHER_ROLES}, i * 4 + k, 103) end,
               k
        from generate_series(1, ${s.events}) i, lateral (select ${isMeasure('i')} as m) measure,
             lateral generate_series(0, case when m then 1 + pg_temp.pick(i, 104, 3) else pg_temp.pick(i, 104, 4) end) k
        order by i, k`,
    },
    {
      table: 'measure',
      sql: `insert into measure (event_id, kind, initiator_id, target_id)
        select i, pg_temp.word(${MEASURE_KINDS}, i, 110), ${stateA('i')}, ${stateB('i')}
        from generate_series(1, ${s.events}) i where ${isMeasure('i')} order by i`,
    },
    {
      table: 'measure_response',
      // Each measure answers 1–3 of the 5,000 events dated before its own (by position in date order).
      sql: `with ranked as materialized (select id, row_number() over (order by date_earliest, id) as r from event)
        insert into measure_response (measure_id, event_id)
        select distinct m.id, earlier.id
        from measure m join ranked own on own.id = m.event_id
             cross join lateral generate_series(0, pg_temp.pick(m.id, 120, 3)) k
             join ranked earlier on earlier.r = own.r - 1 - pg_temp.pick(m.id * 4 + k, 121, least(5000, own.r - 1)::int)
        where own.r > 1`,
    },
    {
      table: 'claim',
      sql: `insert into claim (id, slug, statement, claimant_id)
        select i, 'claim-' || i,
               'The ' || pg_temp.word(${NOUNS}, i, 130) || ' ' || pg_temp.word(${VERBS}, i, 131) || ' the ' || pg_temp.word(${NOUNS}, i, 132) || ' (claim ' || i || ').',
               case when pg_temp.u(i, 133) < 0.8 then 1 + pg_temp.pick(i, 134, ${s.actors}) end
        from generate_series(1, ${s.claims}) i`,
    },
    {
      table: 'claim_subject',
      // Claims come in pairs about the same event, so a contradiction has a common subject.
      sql: `insert into claim_subject (claim_id, event_id)
        select distinct i, e from generate_series(1, ${s.claims}) i,
          lateral (values (1 + pg_temp.pick(i / 2, 140, ${s.events})), (case when pg_temp.u(i, 141) < 0.3 then 1 + pg_temp.pick(i, 142, ${s.events}) end)) subject(e)
        where e is not null`,
    },
    {
      table: 'claim_contradiction',
      // Both directions are stored, as the loader does.
      sql: `insert into claim_contradiction (claim_id, contradicting_claim_id)
        select a, b from generate_series(1, ${Math.floor(s.claims / 2)}) j,
          lateral (values (2 * j, 2 * j + 1), (2 * j + 1, 2 * j)) pair(a, b)
        where pg_temp.u(j, 150) < 0.3 and 2 * j + 1 <= ${s.claims}`,
    },
    citations('subject_source_id', s.sources, 160, 1),
    citations('subject_actor_id', s.actors, 170, 2),
    citations('subject_event_id', s.events, 180, 2),
    // Measures were numbered 1… in event order by their identity column.
    citations('subject_measure_id', '(select count(*)::int from measure)', 190, 2),
    citations('subject_claim_id', s.claims, 200, 2),
  ];
}

/** Tables the generator fills, children first (the order they are emptied in): the seed loader's. */
export const TABLES = CONTENT_TABLES;
