// The SQL floor of the benchmark: each workload's data by one hand-written
// statement that builds the JSON inside Postgres, served over node:http. No
// GraphQL, no loaders: what the same answer costs with nothing in between.
// Plain JavaScript, so it runs on the benchmark's Node without a loader.
//   DATABASE_URL=postgres://… PORT=… node scripts/bench/floor.mjs
// A request body is {"op": "<workload>", "args": {…}}.
import http from 'node:http';
import pg from 'pg';

// Keeps what it opens, as this server's pool does (src/db/connect.ts): pg's default closes a connection
// idle for 10 s, and the benchmark pauses each system for longer than that between its runs.
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10, min: 10 });

// A fuzzy date spans at most 366 days (a CHECK), which bounds date_earliest from below.
const RANGE = `date_latest >= $1::date and date_earliest >= $1::date - 366 and date_earliest <= $2::date`;
// Counts by date come from event_date_count (events per fuzzy date, kept by triggers), as the server's do.

const OPS = {
  timeline: ({ from, to, first }) => [
    `select json_build_object(
      'totalCount', (select coalesce(sum(events), 0) from event_date_count where ${RANGE}),
      'nodes', coalesce((select json_agg(row_to_json(e) order by e.date_earliest, e.date_latest, e.id) from (
        select ev.id, ev.title, ev.date_earliest, ev.date_latest, ev.date_precision,
          (select coalesce(json_agg(json_build_object('role', p.role, 'actor', json_build_object('id', a.id, 'name', a.name,
              'country', case when c.id is null then null else json_build_object('id', c.id, 'name', c.name) end)) order by p.position), '[]')
           from participant p join actor a on a.id = p.actor_id left join actor c on c.id = a.country_id where p.event_id = ev.id) as participants,
          (select coalesce(json_agg(json_build_object('quote', ci.quote, 'source', json_build_object('id', s.id, 'title', s.title)) order by ci.id), '[]')
           from citation ci join source s on s.id = ci.source_id where ci.subject_event_id = ev.id) as citations
        from event ev where ${RANGE} order by ev.date_earliest, ev.date_latest, ev.id limit $3) e), '[]'))`,
    [from, to, first],
  ],
  escalation: ({ first }) => [
    `select coalesce(json_agg(row_to_json(m) order by m.date_earliest, m.date_latest, m.id), '[]') from (
      select m.id, m.kind, e.date_earliest, e.date_latest,
        json_build_object('id', i.id, 'name', i.name) as initiator, json_build_object('id', t.id, 'name', t.name) as target,
        json_build_object('id', e.id, 'title', e.title, 'date_earliest', e.date_earliest, 'date_latest', e.date_latest, 'date_precision', e.date_precision) as event,
        (select coalesce(json_agg(json_build_object('id', a.id, 'title', a.title) order by a.id), '[]')
         from measure_response r join event a on a.id = r.event_id where r.measure_id = m.id) as in_response_to
      from measure m join event e on e.id = m.event_id join actor i on i.id = m.initiator_id join actor t on t.id = m.target_id
      order by e.date_earliest, e.date_latest, m.id limit $1) m`,
    [first],
  ],
  // Names only, through the trigram indexes, with the threshold set for this transaction, as the server does.
  search: ({ query, first }) => [
    `begin; set local pg_trgm.word_similarity_threshold = 0.45; set local max_parallel_workers_per_gather = 0;
     with hit as (
       select id, -max(similarity) as rank from (
         select id, word_similarity(lower(${pg.escapeLiteral(query)}), lower(name)) from actor where lower(${pg.escapeLiteral(query)}) <% lower(name)
         union all
         select actor_id, word_similarity(lower(${pg.escapeLiteral(query)}), lower(alias)) from actor_alias where lower(${pg.escapeLiteral(query)}) <% lower(alias)
       ) names(id, similarity) group by id)
     select json_build_object('totalCount', (select count(*) from hit),
       'nodes', (select coalesce(json_agg(json_build_object('id', a.id, 'name', a.name) order by h.rank, h.id), '[]')
                 from (select * from hit order by rank, id limit ${Number(first)}) h join actor a on a.id = h.id)) as json;
     commit`,
    null,
  ],
  chart: ({ from, to }) => [
    `select coalesce(json_agg(json_build_object('key', key, 'count', n) order by first_day, key), '[]') from (
      select key, sum(n) as n, min(day) as first_day
      from (select date_earliest as day, sum(events) filter (where date_precision = 'YEAR') as years, sum(events) filter (where date_precision <> 'YEAR') as months
            from event_date_count where ${RANGE} group by date_earliest) days,
           lateral (values (to_char(day, 'YYYY'), years), (to_char(day, 'YYYY-MM'), months)) bucket(key, n)
      where n > 0 group by key) buckets`,
    [from, to],
  ],
  nodes: ({ ids }) => [
    `select coalesce(json_agg(json_build_object('id', id, 'title', title, 'date_earliest', date_earliest, 'date_latest', date_latest,
       'date_precision', date_precision) order by array_position($1::int[], id)), '[]') from event where id = any($1::int[])`,
    [ids],
  ],
  page: ({ after, first }) => [
    `select coalesce(json_agg(row_to_json(e) order by e.date_earliest, e.date_latest, e.id), '[]') from (
      select id, title, date_earliest, date_latest, date_precision from event
      ${after ? 'where (date_earliest, date_latest, id) > ($2::date, $3::date, $4::int)' : ''}
      order by date_earliest, date_latest, id limit $1) e`,
    after ? [first + 1, ...after] : [first + 1],
  ],
};

const names = new Map();
const statementName = (text) => names.get(text) ?? names.set(text, `floor${names.size}`).get(text);

const server = http.createServer(async (request, response) => {
  try {
    let body = '';
    for await (const chunk of request) body += chunk;
    const { op, args } = JSON.parse(body);
    const [text, values] = OPS[op](args);
    // Prepared, as this server's statements are (DB_PREPARED_STATEMENTS): one name per text.
    const result = await pool.query(values ? { name: statementName(text), text, values } : text);
    const rows = Array.isArray(result) ? result.find((r) => r.command === 'SELECT').rows : result.rows;
    const data = Object.values(rows[0])[0];
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(`{"data":${typeof data === 'string' ? data : JSON.stringify(data)}}`);
  } catch (error) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ errors: [{ message: String(error?.message ?? error) }] }));
  }
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write(`floor listening on ${process.env.PORT}\n`));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
