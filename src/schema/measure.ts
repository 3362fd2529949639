import type { Loaders } from '../context.js';
import type { MeasureRow, ResponseLinkRow } from '../db/database.js';
import { MEASURE_SORT_KEYS, type MeasureFilter } from '../db/queries/measures.js';
import { sortValues } from '../db/queries/pagination.js';
import type { MeasureKind } from '../domain.js';
import { required } from '../loaders/batching.js';
import type { MeasureSide } from '../loaders/measures.js';
import { AttestationEnum, asAttestation } from './attestation.js';
import { builder } from './builder.js';
import { optionalKeyArgument } from './global-id.js';
import { connectionType, pageArgs, pageRequest, toConnection } from './pagination.js';
import { ActorRef, CitationRef, EventRef, MeasureRef } from './refs.js';

export const MeasureKindEnum = builder.enumType('MeasureKind', {
  values: {
    DIPLOMATIC: { description: 'Cancelled visits and meetings, summoned ambassadors, skipped ceremonies.' },
    CULTURAL: { description: 'Cancelled cultural events and tours, closed cultural centres.' },
    MEDIA: { description: 'Closed or raided media offices, expelled journalists.' },
    ENTRY_BAN: { description: 'Entry bans on officials or citizens.' },
    LAW_ENFORCEMENT: { description: "Arrests and raids aimed at the other side's citizens." },
    LEGAL: { description: 'Charges and prosecutions.' },
    ECONOMIC: {},
    INFORMATION: { description: 'Propaganda and hostile media campaigns.' },
    OTHER: {},
  } satisfies Record<MeasureKind, object>,
});

export const ResponseLinkRef = builder.objectRef<ResponseLinkRow>('ResponseLink').implement({
  description: 'Why a measure is said to answer an earlier event, and who says so.',
  fields: (t) => ({
    event: t.field({ type: EventRef, resolve: (link, _args, { loaders }) => loaders.events.byId.load(link.event_id).then(required) }),
    attestation: t.field({
      type: AttestationEnum,
      description: 'ALLEGED where the link is hedged ("seen as retaliation", "reportedly") or drawn only by a party.',
      resolve: (link) => asAttestation(link.attestation),
    }),
    assertedBy: t.field({
      type: ActorRef,
      nullable: true,
      description: 'Who draws the link; null where a source draws it in its own voice.',
      resolve: (link, _args, { loaders }) => (link.asserted_by_id === null ? null : loaders.actors.byId.load(link.asserted_by_id)),
    }),
    citations: t.field({
      type: [CitationRef],
      description: 'The passages that draw the link.',
      resolve: (link, _args, { loaders }) => loaders.citations.byResponseLinkId.load(link.id),
    }),
  }),
});

builder.node(MeasureRef, {
  description:
    "One actor's measure against another, in response to earlier events. The\nevent it belongs to holds its date, place, participants and title; chains of\ntit-for-tat are followed through `inResponseTo` and `Event.measure`.",
  id: { resolve: (measure) => measure.id },
  fields: (t) => ({
    event: t.field({ type: EventRef, resolve: (measure, _args, { loaders }) => loaders.events.byId.load(measure.event_id).then(required) }),
    kind: t.field({ type: MeasureKindEnum, resolve: (measure) => measure.kind as MeasureKind }),
    initiator: t.field({
      type: ActorRef,
      resolve: (measure, _args, { loaders }) => loaders.actors.byId.load(measure.initiator_id).then(required),
    }),
    target: t.field({ type: ActorRef, resolve: (measure, _args, { loaders }) => loaders.actors.byId.load(measure.target_id).then(required) }),
    inResponseTo: t.field({
      type: [EventRef],
      description: 'What it answers; an answered event may itself be a measure.',
      resolve: async (measure, _args, { loaders }) => {
        const links = await loaders.measures.responseLinksByMeasureId.load(measure.id);
        return Promise.all(links.map((link) => loaders.events.byId.load(link.event_id).then(required)));
      },
    }),
    responseLinks: t.field({
      type: [ResponseLinkRef],
      description: 'The same links as `inResponseTo`, each with who draws it and the passage it rests on.',
      resolve: (measure, _args, { loaders }) => loaders.measures.responseLinksByMeasureId.load(measure.id),
    }),
    citations: t.field({ type: [CitationRef], resolve: (measure, _args, { loaders }) => loaders.citations.byMeasureId.load(measure.id) }),
  }),
});

export const RetaliatoryMeasureConnection = connectionType(MeasureRef, 'RetaliatoryMeasure');

const measureCursor = (measure: MeasureRow) => sortValues(measure, MEASURE_SORT_KEYS);

/** The pages of the measures an actor took or received; used by `Actor.measuresTaken` and `measuresReceived`. */
export async function actorMeasuresConnection(
  loaders: Loaders,
  side: MeasureSide,
  actorId: number,
  args: { first?: number | null; after?: string | null },
) {
  const list = `actor-measures-${side}`;
  const request = pageRequest(list, args);
  const page = await loaders.measures.pageByActorId.load({ parentId: actorId, request, variant: side });
  return toConnection(list, request, page, {
    cursorOf: measureCursor,
    totalCount: () => loaders.measures.countByActorId.load({ parentId: actorId, variant: side }),
  });
}

export const MeasureFilterInput = builder.inputType('MeasureFilter', {
  description: 'Every field narrows the list; all may be combined.',
  fields: (t) => ({
    initiator: t.id({ description: 'Measures taken by this actor, by ID or slug.' }),
    target: t.id({ description: 'Measures aimed at this actor, by ID or slug.' }),
    kind: t.field({ type: [MeasureKindEnum] }),
    from: t.field({ type: 'Date', description: "Measures whose event's date can fall on or after this day." }),
    to: t.field({ type: 'Date', description: "Measures whose event's date can fall on or before this day." }),
    inResponseTo: t.id({ description: 'Measures answering this event, by ID or slug.' }),
    initiatorState: t.id({
      description: 'Measures taken by this state or any body, person or group of it, by ID or slug (`azerbaijan`; `initiator` is that actor only).',
    }),
    targetState: t.id({ description: 'Measures aimed at this state or any body, person or group of it, by ID or slug.' }),
  }),
});

/** The GraphQL filter as the data layer's, with IDs checked and decoded. */
export function measureFilter(input: typeof MeasureFilterInput.$inferInput | null | undefined): MeasureFilter {
  if (!input) return {};
  return {
    initiatorId: optionalKeyArgument('Actor', input.initiator, 'filter.initiator'),
    targetId: optionalKeyArgument('Actor', input.target, 'filter.target'),
    kinds: input.kind,
    from: input.from,
    to: input.to,
    inResponseToId: optionalKeyArgument('Event', input.inResponseTo, 'filter.inResponseTo'),
    initiatorStateId: optionalKeyArgument('Actor', input.initiatorState, 'filter.initiatorState'),
    targetStateId: optionalKeyArgument('Actor', input.targetState, 'filter.targetState'),
  };
}

builder.queryFields((t) => ({
  measures: t.field({
    type: RetaliatoryMeasureConnection,
    description: "Retaliatory measures in the order of their events' dates.",
    args: { filter: t.arg({ type: MeasureFilterInput }), ...pageArgs(t.arg) },
    resolve: async (_root, args, { loaders }) => {
      const list = 'measures';
      const request = pageRequest(list, args);
      const filter = measureFilter(args.filter);
      return toConnection(list, request, await loaders.measures.page(filter, request), {
        cursorOf: measureCursor,
        totalCount: () => loaders.measures.count(filter),
      });
    },
  }),
}));
