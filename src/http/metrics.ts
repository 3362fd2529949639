import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { GRAPHQL_PATH, type RequestOperation, recordOf } from './request-record.js';

/**
 * How many operation names are labelled besides the known ones. Clients name
 * their operations, and every new name adds series that live as long as the
 * process: 300 made-up names grew the page by 620 KB. Past the limit, and for
 * a name longer than MAX_LABELLED_NAME_LENGTH, the label is OTHER_OPERATIONS.
 */
export const MAX_LABELLED_OPERATION_NAMES = 200;
const MAX_LABELLED_NAME_LENGTH = 100;
export const OTHER_OPERATIONS = '(other)';

/**
 * `GET /metrics` in Prometheus text format: requests by operation name and
 * type, their durations by operation, method and status, errors by
 * `extensions.code`, and Node's process metrics. A registry of its own per
 * server, so several servers in one process (the tests) do not collide.
 *
 * Written on prom-client directly, with the series names
 * @graphql-yoga/plugin-prometheus uses: that plugin hooks every phase of every
 * request and builds label objects in each, which cost 9% of the CPU of a
 * cheap request (0.045 of 0.47 ms for a page of 20 events, bench/RESULTS.md).
 * These three series need three hooks.
 */
export function useMetrics(knownOperationNames: readonly string[] = []): {
  readonly plugin: Plugin;
  /** Counts an answer written without Yoga (a cached answer's, src/server.ts), as its hooks would have. */
  readonly observe: (answer: { operationName: string | undefined; method: string; status: number }, seconds: number) => void;
} {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const operationLabels = ['operationName', 'operationType'] as const;
  const requests = new Counter({
    name: 'graphql_envelop_request',
    help: 'GraphQL requests answered, by operation name and type',
    labelNames: operationLabels,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'graphql_yoga_http_duration',
    help: 'Seconds from request to response, by operation, HTTP method and status',
    labelNames: [...operationLabels, 'method', 'statusCode'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'graphql_envelop_error_result',
    help: 'Errors in answers, by extensions.code, operation and phase (request: refused before execution; execute: during it)',
    labelNames: ['code', ...operationLabels, 'phase'],
    registers: [registry],
  });
  const known = new Set(knownOperationNames);
  const others = new Set<string>();
  const nameLabel = (name: string | undefined) => {
    if (name === undefined) return 'Anonymous';
    if (known.has(name) || others.has(name)) return name;
    if (name.length > MAX_LABELLED_NAME_LENGTH || others.size >= MAX_LABELLED_OPERATION_NAMES) return OTHER_OPERATIONS;
    others.add(name);
    return name;
  };
  const labelsOf = (operation: RequestOperation | undefined) => ({ operationName: nameLabel(operation?.name), operationType: operation?.type ?? 'unknown' });
  const observe = (labels: ReturnType<typeof labelsOf>, method: string, statusCode: number, seconds: number) => {
    requests.inc(labels);
    durations.observe({ ...labels, method, statusCode }, seconds);
  };

  const plugin: Plugin = {
    onRequest({ url, fetchAPI, endResponse }) {
      if (url.pathname === '/metrics') {
        return registry.metrics().then((text) => endResponse(new fetchAPI.Response(text, { headers: { 'content-type': registry.contentType } })));
      }
    },
    // Placed after useErrorCodes, whose onResultProcess gives every error its code.
    onResultProcess({ request, result }) {
      for (const one of Array.isArray(result) ? result : [result]) {
        const found = (one as { errors?: readonly { path?: unknown; extensions?: Record<string, unknown> }[] } | null)?.errors;
        if (!found?.length) continue;
        const labels = labelsOf(recordOf(request)?.operation);
        for (const error of found) {
          errors.inc({ code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'), ...labels, phase: error.path === undefined ? 'request' : 'execute' });
        }
      }
    },
    onResponse({ request, response }) {
      const record = recordOf(request);
      if (record?.path === GRAPHQL_PATH) observe(labelsOf(record.operation), request.method, response.status, (performance.now() - record.startedAt) / 1000);
    },
  };
  return {
    plugin,
    // A cached answer runs nothing, so its operation's type is unknown, as through Yoga.
    observe: ({ operationName, method, status }, seconds) =>
      observe({ operationName: nameLabel(operationName), operationType: 'unknown' }, method, status, seconds),
  };
}
