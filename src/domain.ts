// The closed vocabularies of the knowledge base, shared by the GraphQL enums
// and the seed validator so the two can never disagree.

export const ACTOR_KINDS = ['STATE', 'GOVERNMENT_BODY', 'ORGANIZATION', 'MEDIA_OUTLET', 'PERSON', 'GROUP'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export const EVENT_CATEGORIES = [
  'INCIDENT',
  'CRIME',
  'LAW_ENFORCEMENT',
  'LEGAL',
  'DIPLOMATIC',
  'STATEMENT',
  'CULTURAL',
  'MEDIA',
  'OTHER',
] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

export const PARTICIPANT_ROLES = ['INITIATOR', 'TARGET', 'VICTIM', 'SPOKESPERSON', 'OTHER'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

export const MEASURE_KINDS = [
  'DIPLOMATIC',
  'CULTURAL',
  'MEDIA',
  'ENTRY_BAN',
  'LAW_ENFORCEMENT',
  'LEGAL',
  'ECONOMIC',
  'INFORMATION',
  'OTHER',
] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

export const SOURCE_KINDS = ['NEWS_REPORT', 'ANALYSIS', 'OPINION', 'OFFICIAL_STATEMENT', 'SOCIAL_MEDIA', 'OTHER'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const DATE_PRECISIONS = ['DAY', 'MONTH', 'YEAR'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** How far the sources vouch for an event or a link: REPORTED in a source's own voice, ALLEGED where only a party asserts it or a source hedges it. */
export const ATTESTATIONS = ['REPORTED', 'ALLEGED'] as const;
export type Attestation = (typeof ATTESTATIONS)[number];
