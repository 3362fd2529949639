import type { DatePrecision } from './domain.js';

/** A date no more precise than its sources, as the days it can mean. */
export interface FuzzyDate {
  readonly precision: DatePrecision;
  /** First day it can mean, `YYYY-MM-DD`. */
  readonly earliest: string;
  /** Last day it can mean, `YYYY-MM-DD`. */
  readonly latest: string;
}

const FUZZY = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2001`, `2024-12` or `2025-06-27` → the range of days; null if it is not a real date. */
export function parseFuzzyDate(iso: string): FuzzyDate | null {
  const match = FUZZY.exec(iso);
  if (!match) return null;
  const [, year, month, day] = match;
  if (month === undefined) return { precision: 'YEAR', earliest: `${year}-01-01`, latest: `${year}-12-31` };
  const monthNumber = Number(month);
  if (monthNumber < 1 || monthNumber > 12) return null;
  const lastDay = String(daysInMonth(Number(year), monthNumber)).padStart(2, '0');
  if (day === undefined) return { precision: 'MONTH', earliest: `${year}-${month}-01`, latest: `${year}-${month}-${lastDay}` };
  if (Number(day) < 1 || day > lastDay) return null;
  return { precision: 'DAY', earliest: iso, latest: iso };
}

/** True for a real calendar day written `YYYY-MM-DD`. */
export function isCalendarDay(value: string): boolean {
  return DAY.test(value) && parseFuzzyDate(value) !== null;
}

/** The ISO form at its precision: `2025-06-27`, `2024-12` or `2001`. */
export function formatFuzzyDate({ precision, earliest }: Pick<FuzzyDate, 'precision' | 'earliest'>): string {
  if (precision === 'YEAR') return earliest.slice(0, 4);
  if (precision === 'MONTH') return earliest.slice(0, 7);
  return earliest;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
