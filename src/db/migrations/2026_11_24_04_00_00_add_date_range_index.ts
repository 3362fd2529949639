import { type Kysely, sql } from 'kysely';

// A fuzzy date spans a year at most, so "can this event overlap [from, to]"
// gains the bound `date_earliest >= from - 366 days` and becomes one range scan
// of an index in the timeline's own order (date_earliest, date_latest, id).
// The precision rides along so month charts and precision filters stay index-only.
const UP = [
  `alter table event add constraint event_date_width_check check (date_latest - date_earliest <= 366)`,
  `create index event_date_range_idx on event (date_earliest, date_latest, id) include (date_precision)`,
  `drop index if exists event_date_idx`,
];

const DOWN = [
  `create index if not exists event_date_idx on event (date_earliest, id)`,
  `drop index if exists event_date_range_idx`,
  `alter table event drop constraint if exists event_date_width_check`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
