import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, type TestServer } from './helpers/test-server.js';

let open: TestServer;
let listed: TestServer;

beforeAll(async () => {
  open = await openTestServer();
  listed = await openTestServer({ database: open.database, env: { CORS_ORIGINS: 'https://app.example.org,https://charts.example.org', CORS_CREDENTIALS: 'true' } });
});
afterAll(() => open?.close());

const QUERY = '{ __typename }';

describe('cross-site requests', () => {
  it.each([
    ['application/x-www-form-urlencoded', `query=${encodeURIComponent(QUERY)}`],
    ['multipart/form-data; boundary=b', `--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: QUERY })}\r\n--b--\r\n`],
    ['text/plain', JSON.stringify({ query: QUERY })],
    ['text/plain;charset=UTF-8', JSON.stringify({ query: QUERY })],
  ])('refuses a %s body with 415, running nothing', async (contentType, body) => {
    const response = await open.fetch('/graphql', { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(response.status).toBe(415);
    const result = await response.json();
    expect(result.data).toBeUndefined();
    expect(result.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } })]);
  });

  it('refuses a GET without a CSRF-prevention header (403), and serves one with it', async () => {
    const url = `/graphql?query=${encodeURIComponent(QUERY)}`;
    const bare = await open.fetch(url, { headers: { accept: 'application/json' } });
    expect(bare.status).toBe(403);
    expect(await bare.json()).toEqual({ errors: [{ message: 'Required CSRF header(s) not present', extensions: { code: 'CSRF_HEADER_REQUIRED' } }] });
    for (const header of ['x-graphql-yoga-csrf', 'graphql-preflight']) {
      const withHeader = await open.fetch(url, { headers: { accept: 'application/json', [header]: '1' } });
      expect(withHeader.status).toBe(200);
      expect((await withHeader.json()).data).toEqual({ __typename: 'Query' });
    }
  });

  it('serves JSON POSTs (which browsers preflight) without any extra header', async () => {
    const response = await open.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
    expect(response.status).toBe(200);
  });
});

describe('CORS', () => {
  const post = (server: TestServer, origin: string) =>
    server.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ query: QUERY }) });

  it('by default lets any origin read, never with credentials, and exposes the request id and the rate-limit headers', async () => {
    const response = await post(open, 'https://anyone.example');
    expect(response.headers.get('access-control-allow-origin')).toBe('https://anyone.example');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    const exposed = response.headers.get('access-control-expose-headers')?.toLowerCase().split(/,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['x-request-id', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after']));
  });

  it('answers a preflight with the methods allowed', async () => {
    const response = await open.fetch('/graphql', {
      method: 'OPTIONS',
      headers: { origin: 'https://anyone.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('with CORS_ORIGINS, allows only those origins, with credentials when CORS_CREDENTIALS says so', async () => {
    const allowed = await post(listed, 'https://charts.example.org');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://charts.example.org');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await post(listed, 'https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBe('null');
  });
});
