// Yoga with this project's schema and Yoga's defaults, none of the project's plugins: what Yoga's
// pipeline costs on its own (`npm run bench:pipeline`). Plain JavaScript over the compiled schema,
// with this server's context (a fresh set of loaders over the same pool and data layer). With `--jit`,
// executed by graphql-jit as this server executes. With `--no-body-stream` too, without the stream
// Yoga's `maxRequestBodySize` pipes every body through (this server checks the size as it reads,
// src/limits.ts): Yoga's least pipeline for compiled execution.
//   DATABASE_URL=postgres://… PORT=… node scripts/bench/pipeline/bare-yoga.mjs [--jit [--no-body-stream]]
import http from 'node:http';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { createYoga } from 'graphql-yoga';
import { createContext } from '../../../dist/context.js';
import { openDatabase } from '../../../dist/db/connect.js';
import { schema } from '../../../dist/schema/index.js';

const { db } = await openDatabase({ engine: 'postgres', url: process.env.DATABASE_URL });

const plugins = process.argv.includes('--jit') ? [useGraphQlJit()] : [];
const maxRequestBodySize = process.argv.includes('--no-body-stream') ? false : undefined;
const yoga = createYoga({ schema, context: () => createContext(db), logging: false, landingPage: false, graphiql: false, maxRequestBodySize, plugins });
http.createServer(yoga).listen(Number(process.env.PORT), '127.0.0.1');
