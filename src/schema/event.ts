import type { Loaders } from '../context.js';
import type { PlaceRow } from '../db/database.js';
import { EVENT_SORT_KEYS, type EventFilter, type ParticipantWithActor } from '../db/queries/events.js';
import { sortValues } from '../db/queries/pagination.js';
import { EVENT_CATEGORIES, PARTICIPANT_ROLES } from '../domain.js';
import { AttestationEnum, asAttestation } from './attestation.js';
import { builder } from './builder.js';
import { DatePrecisionEnum, FuzzyDateRef, OrderDirectionEnum } from './fuzzy-date.js';
import { optionalKeyArgument } from './global-id.js';
import { connectionType, pageArgs, pageRequest, toConnection } from './pagination.js';
import { ActorRef, CitationRef, ClaimRef, EventRef, MeasureRef } from './refs.js';

export const EventCategoryEnum = builder.enumType('EventCategory', {
  values: {
    INCIDENT: { description: 'Violent or catastrophic incidents: a shoot-down, a crash.' },
    CRIME: { description: 'Crimes, including the cold cases a later event refers to.' },
    LAW_ENFORCEMENT: { description: 'Arrests, raids, detentions.' },
    LEGAL: { description: 'Investigations, charges, court decisions, autopsies.' },
    DIPLOMATIC: { description: 'Visits, meetings, summonses, apologies between governments.' },
    STATEMENT: { description: 'Public statements, accusations, media campaigns.' },
    CULTURAL: {},
    MEDIA: {},
    OTHER: {},
  } satisfies Record<(typeof EVENT_CATEGORIES)[number], object>,
});

export const ParticipantRoleEnum = builder.enumType('ParticipantRole', {
  values: {
    INITIATOR: { description: 'Carries out the action.' },
    TARGET: { description: 'The action is directed at it.' },
    VICTIM: { description: 'Killed, injured or otherwise harmed.' },
    SPOKESPERSON: { description: 'Speaks about the event for one side.' },
    OTHER: {},
  } satisfies Record<(typeof PARTICIPANT_ROLES)[number], object>,
});

export const EventOrderFieldEnum = builder.enumType('EventOrderField', {
  values: { DATE: { description: 'By date, earliest first when ascending.' }, TITLE: {} },
});

export const EventFilterInput = builder.inputType('EventFilter', {
  description: 'Every field narrows the list; all may be combined.',
  fields: (t) => ({
    from: t.field({ type: 'Date', description: 'Events whose date can fall on or after this day.' }),
    to: t.field({ type: 'Date', description: 'Events whose date can fall on or before this day.' }),
    category: t.field({ type: [EventCategoryEnum] }),
    precision: t.field({
      type: [DatePrecisionEnum],
      description: 'Only events dated this precisely: `[DAY, MONTH]` leaves out those the sources date only to a year.',
    }),
    actor: t.id({ description: 'Events this actor takes part in, by ID or slug (`russia`).' }),
    role: t.field({ type: ParticipantRoleEnum, description: 'With `actor`: only in this role; alone: events with a participant in this role.' }),
    isMeasure: t.boolean({ description: 'Only retaliatory measures (true) or only other events (false).' }),
    source: t.id({ description: 'Events that cite this source, by ID or slug.' }),
    text: t.string({ description: 'Full-text match on title and summary (web-search syntax: `"exact phrase"`, `or`, `-word`).' }),
    attestation: t.field({
      type: [AttestationEnum],
      description: 'Only events the sources vouch for this far: `[ALLEGED]` lists what only a party or an opinion piece asserts.',
    }),
  }),
});

export const EventOrderInput = builder.inputType('EventOrder', {
  fields: (t) => ({
    field: t.field({ type: EventOrderFieldEnum, required: true }),
    direction: t.field({ type: OrderDirectionEnum, required: true }),
  }),
});

/** The GraphQL filter as the data layer's, with IDs checked and decoded. */
export function eventFilter(input: typeof EventFilterInput.$inferInput | null | undefined): EventFilter {
  if (!input) return {};
  return {
    from: input.from,
    to: input.to,
    categories: input.category,
    precisions: input.precision,
    actorId: optionalKeyArgument('Actor', input.actor, 'filter.actor'),
    role: input.role,
    isMeasure: input.isMeasure,
    sourceId: optionalKeyArgument('Source', input.source, 'filter.source'),
    text: input.text,
    attestations: input.attestation,
  };
}

export const PlaceRef = builder.objectRef<PlaceRow>('Place').implement({
  description: 'A city or country where something happened.',
  fields: (t) => ({
    name: t.exposeString('name'),
    country: t.field({
      type: ActorRef,
      nullable: true,
      resolve: (place, _args, { loaders }) => (place.country_id === null ? null : loaders.actors.byId.load(place.country_id)),
    }),
  }),
});

export const ParticipantRef = builder.objectRef<ParticipantWithActor>('Participant').implement({
  description: 'An actor taking part in an event, in a role.',
  fields: (t) => ({
    actor: t.field({
      type: ActorRef,
      // The participant's row carries its actor and the actor's country (joined): the actor is
      // answered as it is, without a promise, and both are primed, which saves the actor loader a
      // statement for each where the answer reaches them again (a country's own fields).
      resolve: ({ actor }, _args, { loaders }) => {
        if (actor.country !== null) loaders.actors.byId.prime(actor.country.id, actor.country);
        loaders.actors.byId.prime(actor.id, actor);
        return actor;
      },
    }),
    role: t.field({ type: ParticipantRoleEnum, resolve: (participant) => participant.role as (typeof PARTICIPANT_ROLES)[number] }),
    note: t.exposeString('note', {
      nullable: true,
      description: "What the sources say of this actor's part: `detained`, `died during the arrests`.",
    }),
  }),
});

builder.node(EventRef, {
  description: 'Something that happened, as the sources report it.',
  id: { resolve: (event) => event.id },
  fields: (t) => ({
    slug: t.exposeString('slug'),
    title: t.exposeString('title', { description: 'A neutral title in our own words.' }),
    summary: t.exposeString('summary', { description: 'A neutral summary in our own words.' }),
    category: t.field({ type: EventCategoryEnum, resolve: (event) => event.category as (typeof EVENT_CATEGORIES)[number] }),
    attestation: t.field({
      type: AttestationEnum,
      description: 'REPORTED where a source states that it happened; ALLEGED where only a party asserts it (its claims say who).',
      resolve: (event) => asAttestation(event.attestation),
    }),
    date: t.field({
      type: FuzzyDateRef,
      resolve: (event) => ({ precision: event.date_precision, earliest: event.date_earliest, latest: event.date_latest }),
    }),
    location: t.field({
      type: PlaceRef,
      nullable: true,
      resolve: (event, _args, { loaders }) => (event.place_id === null ? null : loaders.events.placeById.load(event.place_id)),
    }),
    participants: t.field({
      type: [ParticipantRef],
      args: { role: t.arg({ type: ParticipantRoleEnum }) },
      resolve: async (event, { role }, { loaders }) => {
        const participants = await loaders.events.participantsByEventId.load(event.id);
        return role == null ? participants : participants.filter((participant) => participant.role === role);
      },
    }),
    fatalities: t.exposeInt('fatalities', { nullable: true, description: 'People killed, where the sources give a number.' }),
    injured: t.exposeInt('injured', { nullable: true, description: 'People injured, where the sources give a number.' }),
    note: t.exposeString('note', { nullable: true, description: 'How the record was read from its sources, e.g. how a year was inferred.' }),
    measure: t.field({
      type: MeasureRef,
      nullable: true,
      description: 'Set when this event is itself a retaliatory measure.',
      resolve: (event, _args, { loaders }) => loaders.measures.byEventId.load(event.id),
    }),
    responses: t.field({
      type: [MeasureRef],
      description: 'Retaliatory measures taken in response to this event.',
      resolve: (event, _args, { loaders }) => loaders.measures.respondingByEventId.load(event.id),
    }),
    claims: t.field({
      type: [ClaimRef],
      description: 'Claims about this event, including contradicting ones.',
      resolve: (event, _args, { loaders }) => loaders.claims.byEventId.load(event.id),
    }),
    citations: t.field({
      type: [CitationRef],
      resolve: (event, _args, { loaders }) => loaders.citations.byEventId.load(event.id),
    }),
  }),
});

export const EventConnection = connectionType(EventRef, 'Event');

/** The pages of an actor's events, optionally in one role; used by `Actor.events`. */
export async function actorEventsConnection(
  loaders: Loaders,
  actorId: number,
  role: string | null,
  args: { first?: number | null; after?: string | null },
) {
  const list = 'actor-events';
  const request = pageRequest(list, args);
  const page = await loaders.events.pageByActorId.load({ parentId: actorId, request, variant: role });
  return toConnection(list, request, page, {
    cursorOf: (event) => sortValues(event, EVENT_SORT_KEYS.DATE),
    totalCount: () => loaders.events.countByActorId.load({ parentId: actorId, variant: role }),
  });
}

builder.queryFields((t) => ({
  events: t.field({
    type: EventConnection,
    description: 'Events, by date unless `orderBy` says otherwise; every filter narrows the list.',
    args: {
      filter: t.arg({ type: EventFilterInput }),
      orderBy: t.arg({ type: EventOrderInput }),
      ...pageArgs(t.arg),
    },
    resolve: async (_root, args, { loaders }) => {
      const order = args.orderBy ?? { field: 'DATE' as const, direction: 'ASC' as const };
      const list = `events-${order.field}`;
      const request = pageRequest(list, args);
      const filter = eventFilter(args.filter);
      const page = await loaders.events.page(filter, { field: order.field, direction: order.direction === 'ASC' ? 'asc' : 'desc' }, request);
      return toConnection(list, request, page, {
        cursorOf: (event) => sortValues(event, EVENT_SORT_KEYS[order.field]),
        totalCount: () => loaders.events.count(filter),
      });
    },
  }),
  event: t.field({
    type: EventRef,
    nullable: true,
    description: 'The event with this slug, or null.',
    args: { slug: t.arg.string({ required: true }) },
    resolve: (_root, { slug }, { loaders }) => loaders.events.bySlug.load(slug),
  }),
}));
