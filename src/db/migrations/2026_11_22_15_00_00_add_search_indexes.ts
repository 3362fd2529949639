import { type Kysely, sql } from 'kysely';

// Weighted documents for the ranked search: names and titles (A) over
// summaries and statements (B) over cited quotes (C). 'english' stems words so
// 'arrests' finds 'arrested'; names also get trigram indexes for misspellings.
const UP = [
  `alter table event add column search tsvector generated always as (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', summary), 'B')
  ) stored`,
  `create index event_search_idx on event using gin (search)`,
  `alter table claim add column search tsvector generated always as (
    setweight(to_tsvector('english', statement), 'B')
  ) stored`,
  `create index claim_search_idx on claim using gin (search)`,
  `alter table source add column search tsvector generated always as (
    setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(publisher, '') || ' ' || coalesce(author, '') || ' ' || coalesce(url, '')), 'B')
  ) stored`,
  `create index source_search_idx on source using gin (search)`,
  `alter table citation add column search tsvector generated always as (
    setweight(to_tsvector('english', quote), 'C')
  ) stored`,
  `create index citation_search_idx on citation using gin (search)`,
  `create index actor_name_trgm_idx on actor using gin (lower(name) gin_trgm_ops)`,
  `create index actor_alias_trgm_idx on actor_alias using gin (lower(alias) gin_trgm_ops)`,
];

const DOWN = [
  `drop index if exists actor_alias_trgm_idx`,
  `drop index if exists actor_name_trgm_idx`,
  `alter table citation drop column if exists search`,
  `alter table source drop column if exists search`,
  `alter table claim drop column if exists search`,
  `alter table event drop column if exists search`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
