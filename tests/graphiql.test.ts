import { existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/connect.js';
import { createServer, EXAMPLE_OPERATIONS } from '../src/server.js';
import { openSeededDatabase } from './helpers/test-database.js';

// Debian's chromium; .ci/run installs it.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The README's picture is refreshed with UPDATE_SCREENSHOTS=1; other runs leave the committed one alone.
const SCREENSHOT = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../docs/graphiql.png', import.meta.url))
  : path.join(os.tmpdir(), `graphiql-${process.pid}.png`);

// CI (CI=true) must have it and fails without it; a developer's machine without it skips this file and says so.
const SKIP = !existsSync(CHROMIUM) && !process.env.CI;
if (SKIP) console.warn(`tests/graphiql.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

let database: Database;
let server: http.Server;
let browser: Browser;
let page: Page;
let origin: string;
/** Every request the page tried to make to a host other than the server: all refused. */
const outside: string[] = [];

beforeAll(async () => {
  if (SKIP) return;
  database = await openSeededDatabase();
  // As main.ts serves it: the page, compressed once, comes ahead of Yoga.
  server = http.createServer(createServer({ db: database.db, logger: pino({ level: 'silent' }) }).httpListener);
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
  browser = await puppeteer.launch({ executablePath: CHROMIUM, args: [
      '--no-sandbox',
      '--disable-gpu',
      // Chromium's own calls home, which this test would otherwise refuse by the dozen.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ], headless: true });
  page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = new URL(request.url());
    const network = url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:' || url.protocol === 'wss:';
    if (network && url.origin !== origin) {
      outside.push(request.url());
      void request.abort('blockedbyclient');
    } else {
      void request.continue();
    }
  });
});

afterAll(async () => {
  if (SKIP) return;
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await database?.close();
});

// Monaco draws spaces as no-break spaces.
const textOf = (selector: string) =>
  page.$eval(selector, (element) => (element as HTMLElement).innerText.replace(/\u00a0/g, ' '));
const shows = (selector: string, text: string, timeout = 60_000) =>
  page.waitForFunction(
    (selector, text) => document.querySelector(selector)?.textContent?.replace(/\u00a0/g, ' ').includes(text),
    { timeout },
    selector,
    text,
  );

describe.skipIf(SKIP)('GraphiQL in a real browser, with every host but the server refused', () => {
  it('renders, served entirely by the server, with the example operations in the editor', async () => {
    await page.goto(`${origin}/graphql`, { waitUntil: 'load', timeout: 90_000 });
    await page.waitForSelector('.graphiql-query-editor .view-lines', { timeout: 90_000 });
    expect(await page.title()).toBe('Crisis knowledge base');
    await shows('.graphiql-query-editor .view-lines', 'query TimelineJuneJuly2025');
    expect(await textOf('.graphiql-query-editor')).toContain('# Example operations: GraphiQL opens with these.');
    expect(outside).toEqual([]);
  }, 180_000);

  it('offers every example operation under ▶ and runs the one picked', async () => {
    await page.click('.graphiql-execute-button');
    await page.waitForSelector('[role=menuitem]', { timeout: 30_000 });
    const offered = await page.$$eval('[role=menuitem]', (items) => items.map((item) => (item as HTMLElement).innerText.trim()));
    const examples = [...EXAMPLE_OPERATIONS.matchAll(/^query (\w+)/gm)].map((match) => match[1]);
    expect(examples.length).toBeGreaterThanOrEqual(6);
    expect(offered).toEqual(examples);
    const items = await page.$$('[role=menuitem]');
    await items[offered.indexOf('Search')]!.click();
    await shows('.graphiql-response', '"name": "Igor Kartavykh"');
    expect(await textOf('.graphiql-response')).toContain('"__typename": "Actor"');
    expect(outside).toEqual([]);
  }, 180_000);

  it('has a working docs explorer, built from the served schema', async () => {
    await page.click('[aria-label="Show Documentation Explorer"]');
    await page.waitForSelector('.graphiql-doc-explorer', { timeout: 30_000 });
    await shows('.graphiql-doc-explorer', 'All Schema Types');
    await page.screenshot({ path: SCREENSHOT });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(50_000);
    const [query] = await page.$$('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name');
    await query!.click();
    await shows('.graphiql-doc-explorer', 'eventCounts');
    expect(outside).toEqual([]);
  }, 180_000);
});
