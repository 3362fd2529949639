import type { ActorRow, ClaimRow, EventRow, MeasureRow } from '../db/database.js';
import type { ActorWithCountry } from '../db/queries/events.js';
import type { CitationWithSource, SourceSummaryRow } from '../db/queries/sources.js';
import { builder } from './builder.js';

// The records that refer to one another (an event's claims, a claim's events),
// declared apart from their fields so the modules that implement them need not
// import each other: each module implements its own and imports the others' here.
export const EventRef = builder.objectRef<EventRow>('Event');
// An actor reached through a participant carries its country's row.
export const ActorRef = builder.objectRef<ActorRow & Partial<Pick<ActorWithCountry, 'country'>>>('Actor');
export const MeasureRef = builder.objectRef<MeasureRow>('RetaliatoryMeasure');
export const ClaimRef = builder.objectRef<ClaimRow>('Claim');
export const SourceRef = builder.objectRef<SourceSummaryRow>('Source');
export const CitationRef = builder.objectRef<CitationWithSource>('Citation');
