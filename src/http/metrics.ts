import { createCounter, usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** The phase an error without a code of its own came from says which code the client saw. */
const CODE_BY_PHASE: Record<string, string> = {
  parse: 'GRAPHQL_PARSE_FAILED',
  validate: 'GRAPHQL_VALIDATION_FAILED',
};

/**
 * `GET /metrics` in Prometheus text format: requests and their durations by
 * operation name and type, HTTP durations by status, errors by
 * `extensions.code`, and Node's process metrics. A registry of its own per
 * server, so several servers in one process (the tests) do not collide.
 */
export function useMetrics(): Plugin {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return usePrometheus({
    endpoint: '/metrics',
    registry,
    labels: { method: true, statusCode: true, operationName: true, operationType: true, phase: true, url: false },
    metrics: {
      graphql_envelop_request: true,
      graphql_envelop_request_duration: true,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_execute: true,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_schema_change: false,
      graphql_yoga_http_duration: true,
      graphql_envelop_error_result: createCounter({
        registry,
        counter: {
          name: 'graphql_envelop_error_result',
          help: 'Errors in answers, by extensions.code, operation and phase',
          labelNames: ['code', 'operationName', 'operationType', 'phase'],
        },
        fillLabelsFn: (params) => ({
          code: String(params.error?.extensions?.code ?? CODE_BY_PHASE[params.errorPhase ?? ''] ?? 'INTERNAL_SERVER_ERROR'),
          operationName: params.operationName ?? 'Anonymous',
          operationType: params.operationType ?? 'unknown',
          phase: params.errorPhase ?? 'unknown',
        }),
      }),
    },
  });
}
