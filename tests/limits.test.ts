import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { loadConfig } from '../src/config.js';
import { boundedParserCache, MAX_CACHED_DOCUMENT_LENGTH, MAX_CACHED_DOCUMENTS } from '../src/limits.js';
import { compilesAfterRuns, createServer, RUNS_BEFORE_COMPILING } from '../src/server.js';
import { openTestServer, type TestServer } from './helpers/test-server.js';

/** Small bounds, so each can be tried exactly at, just below and just above. */
const SMALL = {
  MAX_DEPTH: '5',
  MAX_ALIASES: '3',
  MAX_TOKENS: '60',
  MAX_DIRECTIVES: '2',
  MAX_COST: '101',
  MAX_STRING_LENGTH: '20',
  MAX_LIST_LENGTH: '3',
  MAX_BODY_BYTES: '2000',
};

let small: TestServer;
let defaults: TestServer;

beforeAll(async () => {
  small = await openTestServer({ env: SMALL });
  defaults = await openTestServer({ database: small.database });
});
afterAll(() => small?.close());

/** The codes of a refused request; it must be refused before execution: no data at all. */
async function refusal(server: TestServer, query: string, variables?: Record<string, unknown>) {
  const result = await server.query(query, variables);
  expect(result.status).toBeLessThan(500);
  expect(result.data).toBeUndefined();
  expect(result.errors?.length).toBeGreaterThan(0);
  return result.errors!;
}

async function accepted(server: TestServer, query: string, variables?: Record<string, unknown>) {
  const result = await server.query(query, variables);
  expect(result.errors).toBeUndefined();
  return result;
}

/** `actor(slug) { country { country … { name } } }`: `levels` fields deep. */
const deep = (levels: number) => `{ actor(slug: "russia") ${'{ country '.repeat(levels - 2)}{ name }${' }'.repeat(levels - 2)} }`;
const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: __typename`).join(' ')} }`;
/** `{`, n × `__typename`, `}`: n + 2 tokens. */
const tokens = (count: number) => `{ ${'__typename '.repeat(count - 2)}}`;
const directives = (count: number) =>
  `{ __typename${count >= 1 ? ' @skip(if: false)' : ''} event(slug: "x")${count >= 2 ? ' @skip(if: false)' : ''} { slug${count >= 3 ? ' @skip(if: false)' : ''} } }`;
/** `{ a a a … }`: n tokens of two bytes, so a large count still fits in the body limit. */
const manyTokens = (count: number) => `{ ${'a '.repeat(count - 2)}}`;
/** `events(first: n) { nodes { title } }` costs 1 + n × (nodes 1 + title 1). */
const costing = (pageSize: number) => `{ events(first: ${pageSize}) { nodes { title } } }`;

describe('operation limits: each refused before execution with its own code, naming the limit and the value', () => {
  it('depth', async () => {
    await accepted(small, deep(4));
    await accepted(small, deep(5));
    const [error] = await refusal(small, deep(6));
    expect(error).toMatchObject({ message: 'Depth limit exceeded: at most 5 (got 6)', extensions: { code: 'DEPTH_LIMIT_EXCEEDED', limit: { max: 5, actual: 6 } } });
  });

  it('depth counts fields, not fragments', async () => {
    await accepted(small, `{ actor(slug: "russia") { ...A } } fragment A on Actor { country { ...B } } fragment B on Actor { country { country { name } } }`);
    const errors = await refusal(small, `{ actor(slug: "russia") { ...A } } fragment A on Actor { country { ...B } } fragment B on Actor { country { country { country { name } } } }`);
    expect(errors[0]!.extensions!.code).toBe('DEPTH_LIMIT_EXCEEDED');
  });

  it('aliases', async () => {
    await accepted(small, aliases(2));
    await accepted(small, aliases(3));
    const [error] = await refusal(small, aliases(4));
    expect(error).toMatchObject({ message: 'Alias limit exceeded: at most 3 (got 4)', extensions: { code: 'ALIAS_LIMIT_EXCEEDED' } });
  });

  it('tokens, counted while parsing', async () => {
    await accepted(small, tokens(59));
    await accepted(small, tokens(60));
    const [error] = await refusal(small, tokens(61));
    expect(error).toMatchObject({ message: 'Token limit exceeded: at most 60', extensions: { code: 'TOKEN_LIMIT_EXCEEDED', limit: { max: 60 } } });
  });

  it('directives', async () => {
    await accepted(small, directives(1));
    await accepted(small, directives(2));
    const [error] = await refusal(small, directives(3));
    expect(error).toMatchObject({ message: 'Directive limit exceeded: at most 2 (got 3)', extensions: { code: 'DIRECTIVE_LIMIT_EXCEEDED' } });
  });

  it('calculated cost, returned with every accepted operation', async () => {
    expect((await accepted(small, costing(49))).extensions).toEqual({ cost: { requested: 99, limit: 101 } });
    expect((await accepted(small, costing(50))).extensions).toEqual({ cost: { requested: 101, limit: 101 } });
    const [error] = await refusal(small, costing(51));
    expect(error).toMatchObject({ message: 'Cost limit exceeded: at most 101 (got 103)', extensions: { code: 'COST_LIMIT_EXCEEDED', limit: { max: 101, actual: 103 } } });
  });

  it('cost: page sizes from variables, the default page of 20, lists and nodes(ids) multiply what is below them', async () => {
    const costOf = async (query: string, variables?: Record<string, unknown>) => (await defaults.query(query, variables)).extensions?.cost;
    expect(await costOf('query($n: Int) { events(first: $n) { nodes { title } } }', { n: 7 })).toEqual({ requested: 15, limit: 50_000 });
    expect(await costOf('{ events { nodes { title } } }')).toMatchObject({ requested: 41 });
    expect(await costOf('{ events(last: 3) { edges { node { title } } } }')).toMatchObject({ requested: 1 + 3 * 3 });
    // participants is a plain list: 10 items assumed, each costing role and actor { name }.
    expect(await costOf('{ event(slug: "x") { participants { role actor { name } } } }')).toMatchObject({ requested: 1 + 1 + 10 * 3 });
    expect(await costOf('{ nodes(ids: ["a", "b", "c"]) { id } }')).toMatchObject({ requested: 1 + 3 });
    expect(await costOf('{ events(first: 2) { nodes { citations { quote } } } }')).toMatchObject({ requested: 1 + 2 * (1 + 1 + 10) });
    // The example in README.
    expect(await costOf('{ events(first: 50) { nodes { title participants { actor { name } } } } }')).toMatchObject({ requested: 1151 });
  });

  it('string inputs: length, written inline, in variables and inside input objects', async () => {
    const twenty = 'x'.repeat(20);
    await accepted(small, `{ event(slug: "${twenty.slice(1)}") { id } }`);
    await accepted(small, `{ event(slug: "${twenty}") { id } }`);
    await accepted(small, 'query($text: String) { events(filter: { text: $text }) { totalCount } }', { text: twenty });
    const inline = await refusal(small, `{ event(slug: "${twenty}x") { id } }`);
    expect(inline[0]).toMatchObject({ message: "Argument 'slug' is longer than 20 characters (got 21)", extensions: { code: 'BAD_USER_INPUT', argument: 'slug' } });
    const nested = await refusal(small, `{ events(filter: { text: "${twenty}x" }) { totalCount } }`);
    expect(nested[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter' });
    const variable = await refusal(small, 'query($filter: EventFilter) { events(filter: $filter) { totalCount } }', { filter: { text: `${twenty}x` } });
    expect(variable[0]).toMatchObject({ message: "Variable '$filter.text' is longer than 20 characters (got 21)", extensions: { code: 'BAD_USER_INPUT' } });
    const cursor = await refusal(small, 'query($after: String) { events(after: $after) { totalCount } }', { after: 'c'.repeat(21) });
    expect(cursor[0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('string inputs: the default cap of 500 characters, for filter text', async () => {
    await accepted(defaults, 'query($text: String) { events(filter: { text: $text }) { totalCount } }', { text: `Baku ${'x'.repeat(495)}` });
    const [error] = await refusal(defaults, 'query($text: String) { events(filter: { text: $text }) { totalCount } }', { text: 'x'.repeat(501) });
    expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: '$text' });
    // The 1 MB search text of the issue is stopped by the body limit first.
    const huge = await defaults.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query($q: String!) { search(query: $q) { totalCount } }', variables: { q: 'x'.repeat(1_000_000) } }),
    });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ errors: [{ extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }] });
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['bell', 'a\u0007b'],
    ['escape', '\u001b[31m'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['a lone surrogate', 'a\ud800b'],
  ])('control characters: %s is BAD_USER_INPUT, inline and in variables', async (_name, value) => {
    const inline = await refusal(defaults, `{ event(slug: ${JSON.stringify(value)}) { id } }`);
    // GraphQL's own lexer already refuses a lone surrogate written as an escape in the document.
    const expected = /\p{Surrogate}/u.test(value) ? 'GRAPHQL_PARSE_FAILED' : 'BAD_USER_INPUT';
    expect(inline[0]!.extensions!.code).toBe(expected);
    const variable = await refusal(defaults, 'query($q: String!) { search(query: $q) { totalCount } }', { q: value });
    expect(variable[0]!.message).toMatch(/control character/);
  });

  it('tabs, line breaks and any script are ordinary text', async () => {
    await accepted(defaults, 'query($q: String!) { search(query: $q, first: 1) { totalCount } }', { q: 'Баку\tBakı\n"Sputnik" 🇦🇿' });
  });

  it('lists: nodes(ids) takes at most MAX_LIST_LENGTH IDs, inline or in a variable', async () => {
    const ids = (count: number) => Array.from({ length: count }, (_, i) => `id${i}`);
    await accepted(small, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids(2) });
    await accepted(small, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids(3) });
    const variable = await refusal(small, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids(4) });
    expect(variable[0]).toMatchObject({ message: "Variable '$ids' has more than 3 items (got 4)", extensions: { code: 'BAD_USER_INPUT' } });
    const inline = await refusal(small, `{ nodes(ids: ${JSON.stringify(ids(4))}) { id } }`);
    expect(inline[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'ids' } });
  });

  it('lists: 100 IDs by default, not 101 (nor the 100,000 of the issue)', async () => {
    const ids = (count: number) => Array.from({ length: count }, (_, i) => `id${i}`);
    await accepted(defaults, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids(100) });
    for (const count of [101, 100_000]) {
      const [error] = await refusal(defaults, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids(count) });
      expect(error!.extensions!.code).toMatch(/BAD_USER_INPUT|REQUEST_ENTITY_TOO_LARGE/);
    }
  });

  it('request body size', async () => {
    const body = (bytes: number) => {
      const base = JSON.stringify({ query: '{ __typename }', variables: { pad: '' } });
      return JSON.stringify({ query: '{ __typename }', variables: { pad: ' '.repeat(bytes - base.length) } });
    };
    const post = (payload: string) => small.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
    expect((await post(body(2000))).status).toBe(200);
    const refused = await post(body(2001));
    expect(refused.status).toBe(413);
    expect(await refused.json()).toEqual({ errors: [{ message: 'Request body too large', extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }] });
  });

  it('request body size over HTTP: refused by its Content-Length, and counted when sent in chunks', async () => {
    const server = http.createServer(createServer({ db: small.database.db, logger: pino({ level: 'silent' }), config: loadConfig(SMALL) }));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const send = (body: string, chunked: boolean) =>
      new Promise<{ status: number; code: unknown }>((resolve, reject) => {
        const headers = chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(Buffer.byteLength(body)) };
        const request = http.request({ port, host: '127.0.0.1', path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode!, code: JSON.parse(text).errors?.[0]?.extensions?.code }));
        });
        request.on('error', reject);
        // In two writes: a chunked body arrives as two chunks.
        request.write(body.slice(0, 1000));
        request.end(body.slice(1000));
      });
    // Padded with JSON's own whitespace: a long string would be refused for its length (MAX_STRING_LENGTH).
    const body = (bytes: number) => `{"query":"{ __typename }"${' '.repeat(bytes - 26)}}`;
    try {
      expect(body(2000)).toHaveLength(2000);
      for (const chunked of [false, true]) {
        expect(await send(body(2000), chunked)).toEqual({ status: 200, code: undefined });
        expect(await send(body(2001), chunked)).toEqual({ status: 413, code: 'REQUEST_ENTITY_TOO_LARGE' });
      }
    } finally {
      server.close();
    }
  });
});

describe("the issue's hostile documents are refused, with the default limits", () => {
  /** actors → events → participants → actor, nested `times` times. */
  const exponential = (times: number) => {
    let inner = 'name';
    for (let i = 0; i < times; i++) inner = `events(first: 1) { nodes { participants { actor { name ${inner} } } } }`;
    return `{ actors(first: 1) { nodes { ${inner} } } }`;
  };

  it.each([18, 40])('the exponential query nested %i times', async (times) => {
    const errors = await refusal(defaults, exponential(times));
    expect(errors.map((error) => error.extensions!.code)).toContain('DEPTH_LIMIT_EXCEEDED');
  });

  it('an exponential query within the depth limit is refused by its cost', async () => {
    const query = `{ a: actors(first: 100) { nodes { events(first: 100) { nodes { participants { actor { events(first: 100) { nodes { title } } } } } } } } }`;
    const [error] = await refusal(defaults, query);
    expect(error!.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', limit: { max: 50_000 } });
    expect((error!.extensions!.limit as { actual: number }).actual).toBeGreaterThan(1_000_000);
  });

  it.each([1_000, 10_000])('%i aliases of one field', async (count) => {
    const errors = await refusal(defaults, aliases(count));
    expect(errors[0]!.extensions!.code).toMatch(/TOKEN_LIMIT_EXCEEDED|ALIAS_LIMIT_EXCEEDED/);
  });

  it('one field repeated 10,000 times', async () => {
    const errors = await refusal(defaults, manyTokens(10_002));
    expect(errors[0]!.extensions!.code).toBe('TOKEN_LIMIT_EXCEEDED');
  });

  it('a document of 300,000 tokens is refused while parsing; one of 2,000,000 by its size', async () => {
    expect((await refusal(defaults, manyTokens(300_000)))[0]!.extensions!.code).toBe('TOKEN_LIMIT_EXCEEDED');
    const response = await defaults.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: manyTokens(2_000_000) }),
    });
    expect(response.status).toBe(413);
  });
});

describe('the parsed-document cache', () => {
  it(`keeps the ${MAX_CACHED_DOCUMENTS} most recent documents of ordinary size, and no longer ones`, () => {
    const { documentCache } = boundedParserCache();
    const text = (i: number) => `query Q${i} { __typename }`;
    for (let i = 0; i <= MAX_CACHED_DOCUMENTS; i++) documentCache.set(text(i), parse(text(i)));
    expect(documentCache.get(text(0))).toBeUndefined();
    expect(documentCache.get(text(1))).toBeDefined();
    expect(documentCache.get(text(MAX_CACHED_DOCUMENTS))).toBeDefined();
    const long = `query Long { __typename }${' '.repeat(MAX_CACHED_DOCUMENT_LENGTH)}`;
    documentCache.set(long, parse(long));
    expect(documentCache.get(long)).toBeUndefined();
  });
});

describe('the validation cache', () => {
  it('judges a document again as it did the first time: the refused keep their errors, the valid run', async () => {
    const unknownField = '{ event(slug: "x") { noSuchField } }';
    const first = { tooDeep: await refusal(small, deep(6)), unknown: await refusal(small, unknownField) };
    expect(first.unknown[0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    for (let round = 0; round < 3; round++) {
      await accepted(small, deep(5));
      expect(await refusal(small, deep(6))).toEqual(first.tooDeep);
      expect(await refusal(small, unknownField)).toEqual(first.unknown);
      // The same text on a server of other limits: its own rules judge it.
      await accepted(defaults, deep(6));
    }
  });
});

describe('compiled execution', () => {
  it(`compiles a document from its run ${RUNS_BEFORE_COMPILING + 1} on, and never one of several operations or too long to keep`, () => {
    const compiles = compilesAfterRuns(RUNS_BEFORE_COMPILING);
    const decisions = (document: ReturnType<typeof parse>) => Array.from({ length: RUNS_BEFORE_COMPILING + 2 }, () => compiles({ document }));
    expect(decisions(parse('{ __typename }'))).toEqual([...Array<boolean>(RUNS_BEFORE_COMPILING).fill(false), true, true]);
    expect(decisions(parse('query A { __typename } query B { __typename }'))).not.toContain(true);
    expect(decisions(parse(`{ __typename }${' '.repeat(MAX_CACHED_DOCUMENT_LENGTH)}`))).not.toContain(true);
  });

  it('answers the same before and after a document is compiled', async () => {
    const query = '{ events(first: 3) { totalCount edges { cursor node { id title date { precision earliest latest } participants { role actor { name } } } } } }';
    const answers = [];
    for (let run = 0; run < RUNS_BEFORE_COMPILING + 3; run++) answers.push(await defaults.query(query));
    expect(answers[0]!.errors).toBeUndefined();
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });
});
