// Yoga with this project's schema and Yoga's defaults, none of the project's plugins: what Yoga's
// pipeline costs on its own (`npm run bench:pipeline`). Plain JavaScript over the compiled schema.
//   PORT=… node scripts/bench/pipeline/bare-yoga.mjs
import http from 'node:http';
import { createYoga } from 'graphql-yoga';
import { schema } from '../../../dist/schema/index.js';

http.createServer(createYoga({ schema, logging: false, landingPage: false, graphiql: false })).listen(Number(process.env.PORT), '127.0.0.1');
