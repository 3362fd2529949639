import { DATE_PRECISIONS, type DatePrecision } from '../domain.js';
import { formatFuzzyDate } from '../fuzzy-date.js';
import { builder } from './builder.js';

export interface FuzzyDateShape {
  readonly precision: DatePrecision;
  readonly earliest: string;
  readonly latest: string;
}

export const DatePrecisionEnum = builder.enumType('DatePrecision', {
  description: 'How exactly the sources date something.',
  values: DATE_PRECISIONS,
});

export const FuzzyDateRef = builder.objectRef<FuzzyDateShape>('FuzzyDate').implement({
  description: "A date no more precise than its sources: 'late December' is the month\n2024-12, never an invented day.",
  fields: (t) => ({
    iso: t.string({
      description: 'ISO 8601 at its precision: `2025-06-27`, `2024-12` or `2001`.',
      resolve: (date) => formatFuzzyDate(date),
    }),
    // Exposed, so the built fields have no resolver: graphql-jit reads a field without one inline,
    // where a resolver costs a call, its `info` and its path (every event in a page has a date).
    precision: t.expose('precision', { type: DatePrecisionEnum }),
    earliest: t.expose('earliest', { type: 'Date', description: 'First day the date can mean (2024-12-01 for `2024-12`).' }),
    latest: t.expose('latest', { type: 'Date', description: 'Last day the date can mean (2024-12-31 for `2024-12`).' }),
  }),
});

export const OrderDirectionEnum = builder.enumType('OrderDirection', { values: ['ASC', 'DESC'] as const });
