// The same schema without Yoga (`npm run bench:pipeline`): bare node:http reads a JSON body, finds the
// document compiled by graphql-jit by its text (parsed, validated and compiled on first sight),
// runs it with this server's context (a fresh set of loaders over the same pool and data layer)
// and writes the JSON. No limits, errors, headers or logs: a floor for GraphQL over HTTP.
//   DATABASE_URL=postgres://… PORT=… node scripts/bench/pipeline/bare-http.mjs
import http from 'node:http';
import { parse, validate } from 'graphql';
import { compileQuery } from 'graphql-jit';
import { createContext } from '../../../dist/context.js';
import { openDatabase } from '../../../dist/db/connect.js';
import { schema } from '../../../dist/schema/index.js';

const { db } = await openDatabase({ engine: 'postgres', url: process.env.DATABASE_URL });

const compiled = new Map();
function compiledQuery(text) {
  let query = compiled.get(text);
  if (query === undefined) {
    const document = parse(text);
    const [error] = validate(schema, document);
    if (error) throw error;
    compiled.set(text, (query = compileQuery(schema, document)));
  }
  return query;
}

http
  .createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', async () => {
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const body = JSON.stringify(await compiledQuery(query).query(undefined, createContext(db), variables));
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
