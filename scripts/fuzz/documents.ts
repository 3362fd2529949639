import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
} from 'graphql';

/** One request the fuzzer sends: a JSON body, sometimes not even valid GraphQL. */
export interface FuzzRequest {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly operationName?: string;
}

/** A small seeded generator (mulberry32), so a failing document can be found again from its seed. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
type Random = ReturnType<typeof seededRandom>;

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Strings a client would send: real slugs, words, dates and search syntax. */
const ORDINARY = ['russia', 'azerbaijan', 'yekaterinburg-arrests', 'kremlin', 'sputnik-azerbaijan', 'Baku', 'Kartavyh', 'crash raid', '"exact phrase"', 'Sputnik -raid', 'Баку', '2025-06-01', '2024-12-25'];
/** Strings worth trying anywhere a string goes: edges of the bounds, hostile bytes, forged cursors and IDs. */
const HOSTILE = [
  '', ' ', 'x'.repeat(500), 'x'.repeat(501), 'a\u0000b', '\u0007', '\u001b[2J', 'a\u007f', '\ud800', '🇦🇿', "'; drop table event; --",
  '%', '_', '\\', '$1', '${x}', '<script>', 'null', '0', '-1', b64('["events-DATE","2025-06-01",3]'), b64('["events-DATE","x","y",1]'), b64('Event:1'),
  b64('Actor:424242'), b64('Nope:1'), b64('["x"]'), 'not-a-cursor', '2025-02-30', '9999-12-31', '0000-01-01',
];
const STRINGS = [...ORDINARY, ...HOSTILE];
const DATES = ['2024-01-01', '2024-12-25', '2025-06-01', '2025-07-31', '2025-02-30'];
const INTS = [0, 1, 2, 5, 20, 99, 100, 101, -1, 2147483647, -2147483648];
/** Values of the wrong type, for variables. */
const WRONG = [null, 'abc', 3.5, true, [], {}, [1, 2], { a: 1 }, 2147483648, 1e308, '2025-13-01', ['x'.repeat(600)]];

/**
 * Random documents from the served schema: selections of real fields with arguments inline or in
 * variables (often of the wrong type), aliases, inline and named fragments, directives, nesting;
 * and, a fifth of the time, something broken: an unknown field or argument, a truncated document,
 * a missing variable, an unknown operation name, garbage.
 */
export function generateRequests(schema: GraphQLSchema, count: number, seed: number): FuzzRequest[] {
  const random = seededRandom(seed);
  const seen = new Set<string>();
  const requests: FuzzRequest[] = [];
  let attempts = 0;
  while (requests.length < count && attempts < count * 20) {
    attempts++;
    const request = generateRequest(schema, random);
    const key = JSON.stringify(request);
    if (seen.has(key)) continue;
    seen.add(key);
    requests.push(request);
  }
  return requests;
}

function generateRequest(schema: GraphQLSchema, random: Random): FuzzRequest {
  const state: DocumentState = { random, schema, variables: [], values: {}, fragments: [], aliases: 0 };
  const selection = selectionSet(state, schema.getQueryType()!, random.int(1, 6));
  const name = random.chance(0.3) ? `Op${random.int(0, 9)}` : undefined;
  const variableDefs = state.variables.length > 0 ? `(${state.variables.join(', ')})` : '';
  const head = name || variableDefs ? `query ${name ?? ''}${variableDefs} ` : '';
  let query = `${head}${selection}${state.fragments.map((fragment) => `\n${fragment}`).join('')}`;
  let variables: Record<string, unknown> | undefined = Object.keys(state.values).length > 0 ? state.values : undefined;
  let operationName = name;
  if (random.chance(0.2)) {
    // Break it.
    switch (random.int(0, 8)) {
      case 0:
        query = query.slice(0, random.int(0, query.length - 1));
        break;
      case 1:
        query = query.replace(/\{ (\w+)/, '{ $1_nope');
        break;
      case 2:
        query = query.replace('{', `{ ${random.pick(['__schema { types { name } }', '__type(name: "Event") { fields { name } }', 'nope', '...Missing'])} `);
        break;
      case 3:
        variables = Object.fromEntries(Object.keys(variables ?? { v: 1 }).map((key) => [key, random.pick(WRONG)]));
        break;
      case 4:
        operationName = random.pick(['Nope', '', 'Op1']);
        break;
      case 5:
        query = `${query}\nquery ${random.pick(['Op1', 'Other'])} { __typename }`;
        break;
      case 6:
        query = random.pick(['', '{', '}', 'query', 'mutation { x }', 'subscription { events }', '{ ... }', '# only a comment', '{ a(b: $c) }', '\u0000', '{ __typename @nope }']);
        break;
      case 7:
        query = query.replace(/\)/, `, nope: ${random.int(0, 9)})`);
        break;
      default:
        variables = { ...variables, extra: random.pick(WRONG), [`v${random.int(0, 9)}`]: random.pick(STRINGS) };
    }
  }
  return { query, ...(variables === undefined ? {} : { variables }), ...(operationName === undefined ? {} : { operationName }) };
}

interface DocumentState {
  readonly random: Random;
  readonly schema: GraphQLSchema;
  readonly variables: string[];
  readonly values: Record<string, unknown>;
  readonly fragments: string[];
  aliases: number;
}

function selectionSet(state: DocumentState, type: GraphQLNamedType, depth: number): string {
  const { random } = state;
  if (isUnionType(type) || isInterfaceType(type)) {
    const possible = state.schema.getPossibleTypes(type);
    const parts = ['__typename'];
    if (isInterfaceType(type)) parts.push(...fieldSelections(state, type.getFields(), depth, random.int(1, 2)));
    for (const member of possible) {
      if (random.chance(0.5)) parts.push(`... on ${member.name} ${selectionSet(state, member, depth - 1)}`);
    }
    return `{ ${parts.join(' ')} }`;
  }
  if (!isObjectType(type)) return '';
  const parts = fieldSelections(state, type.getFields(), depth, random.int(1, 4));
  if (random.chance(0.1) && depth > 1) {
    // The name is taken before the body is generated, since the body may define fragments of its own.
    const index = state.fragments.push('') - 1;
    state.fragments[index] = `fragment F${index} on ${type.name} ${selectionSet(state, type, depth - 1)}`;
    parts.push(`...F${index}`);
  }
  if (random.chance(0.05)) parts.push(`... @include(if: ${random.chance(0.5)}) { __typename }`);
  return `{ ${parts.length > 0 ? parts.join(' ') : '__typename'} }`;
}

function fieldSelections(state: DocumentState, fields: Record<string, GraphQLField<unknown, unknown>>, depth: number, count: number): string[] {
  const { random } = state;
  const all = Object.values(fields);
  const parts: string[] = [];
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    const field = random.pick(all);
    const named = getNamedType(field.type);
    const leaf = isScalarType(named) || isEnumType(named);
    if (!leaf && depth <= 0) continue;
    // Mostly, a field selected twice gets an alias, as a client would write it; sometimes not, and the two may conflict.
    const repeated = used.has(field.name) && field.args.length > 0;
    used.add(field.name);
    if (repeated && random.chance(0.7)) continue;
    const alias = random.chance(repeated ? 0.8 : 0.15) ? `a${state.aliases++}: ` : '';
    const args = argumentsOf(state, field.args);
    const directive = random.chance(0.05) ? ` @${random.pick(['skip', 'include'])}(if: ${random.chance(0.5)})` : '';
    parts.push(`${alias}${field.name}${args}${directive}${leaf ? '' : ` ${selectionSet(state, named, depth - 1)}`}`);
  }
  return parts;
}

function argumentsOf(state: DocumentState, args: readonly GraphQLArgument[]): string {
  const { random } = state;
  const written = args
    .filter((arg) => isNonNullType(arg.type) || random.chance(arg.name === 'after' || arg.name === 'before' ? 0.1 : 0.4))
    .map((arg) => {
      if (random.chance(0.35)) {
        const name = `v${state.variables.length}`;
        state.variables.push(`$${name}: ${arg.type.toString()}`);
        if (!random.chance(0.1)) state.values[name] = random.chance(0.25) ? random.pick(WRONG) : jsonValue(state, arg.type, 0);
        return `${arg.name}: $${name}`;
      }
      return `${arg.name}: ${literal(state, arg.type, 0)}`;
    });
  return written.length > 0 ? `(${written.join(', ')})` : '';
}

/** A value for this input type as JSON, mostly well typed. */
function jsonValue(state: DocumentState, type: GraphQLInputType, depth: number): unknown {
  const { random } = state;
  const inner = getNullableType(type) as GraphQLInputType;
  if (!isNonNullType(type) && random.chance(0.1)) return null;
  if (isListType(inner)) {
    const length = random.pick([0, 1, 1, 2, 2, 3, 3, 100, 101]);
    return Array.from({ length }, () => jsonValue(state, inner.ofType as GraphQLInputType, depth + 1));
  }
  if (isEnumType(inner)) return random.chance(0.98) ? random.pick(inner.getValues()).name : 'NOT_A_VALUE';
  if (isInputObjectType(inner)) {
    const fields = Object.values(inner.getFields()).filter((field) => isNonNullType(field.type) || random.chance(0.4));
    return Object.fromEntries(fields.map((field) => [field.name, jsonValue(state, field.type, depth + 1)]));
  }
  switch (inner.name) {
    case 'Int':
      return random.pick(INTS);
    case 'Boolean':
      return random.chance(0.5);
    case 'Date':
      return random.pick(random.chance(0.9) ? DATES : HOSTILE);
    default:
      return random.pick(random.chance(0.75) ? ORDINARY : HOSTILE);
  }
}

/** The same, written inline in the document. */
function literal(state: DocumentState, type: GraphQLInputType, depth: number): string {
  const { random } = state;
  const inner = getNullableType(type) as GraphQLInputType;
  if (isListType(inner)) {
    const length = random.pick([0, 1, 1, 2, 2, 3, 101]);
    return `[${Array.from({ length }, () => literal(state, inner.ofType as GraphQLInputType, depth + 1)).join(', ')}]`;
  }
  if (isEnumType(inner)) return random.chance(0.98) ? random.pick(inner.getValues()).name : 'NOT_A_VALUE';
  if (isInputObjectType(inner)) {
    const fields = Object.values(inner.getFields()).filter((field) => isNonNullType(field.type) || random.chance(0.4));
    return `{ ${fields.map((field) => `${field.name}: ${literal(state, field.type, depth + 1)}`).join(', ')} }`;
  }
  if (random.chance(0.05)) return random.pick(['null', '"wrong"', '1.5', 'true', '[]', '{}']);
  switch (inner.name) {
    case 'Int':
      return String(random.pick(INTS));
    case 'Boolean':
      return String(random.chance(0.5));
    case 'Date':
      return JSON.stringify(random.pick(random.chance(0.9) ? DATES : HOSTILE));
    default:
      return JSON.stringify(random.pick(random.chance(0.75) ? ORDINARY : HOSTILE));
  }
}
