// The ceiling a cache hit could reach on this machine: a constant JSON answer
// (1 KB, or the file given, such as a page saved with curl) served by bare
// node:http, and by graphql-yoga ending every request in its first hook
// (onRequest), with no GraphQL at all. Evidence for the response cache's
// figures in bench/RESULTS.md; loopback only.
//   node scripts/bench/ceiling.mjs node 4811 [answer.json] &   wrk -t1 -c16 -d5s http://127.0.0.1:4811/graphql
//   node scripts/bench/ceiling.mjs yoga 4811 [answer.json] &   (the same wrk)
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

const body = process.argv[4]
  ? readFileSync(process.argv[4], 'utf8')
  : JSON.stringify({
      data: { events: { edges: Array.from({ length: 10 }, (_, i) => ({ cursor: 'x'.repeat(40), node: { id: String(i), title: 'An event title' } })) } },
    });
const [kind, port] = [process.argv[2], Number(process.argv[3] ?? 4811)];
const handler =
  kind === 'node'
    ? (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        response.end(body);
      }
    : createYoga({
        schema: createSchema({ typeDefs: 'type Query { a: Int }' }),
        logging: false,
        plugins: [{ onRequest: ({ endResponse, fetchAPI }) => endResponse(new fetchAPI.Response(body, { headers: { 'content-type': 'application/json' } })) }],
      });
http.createServer(handler).listen(port, '127.0.0.1', () => console.log(`${kind} listening on ${port}`));
