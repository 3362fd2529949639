import type { AffiliationRow } from '../db/database.js';
import { ACTOR_SORT_KEYS } from '../db/queries/actors.js';
import { sortValues } from '../db/queries/pagination.js';
import type { ActorKind } from '../domain.js';
import { required } from '../loaders/batching.js';
import { builder } from './builder.js';
import { actorEventsConnection, EventConnection, ParticipantRoleEnum } from './event.js';
import { optionalKeyArgument } from './global-id.js';
import { actorMeasuresConnection, RetaliatoryMeasureConnection } from './measure.js';
import { connectionType, forwardPageArgs, pageArgs, pageRequest, toConnection } from './pagination.js';
import { ActorRef, CitationRef, ClaimRef } from './refs.js';

export const ActorKindEnum = builder.enumType('ActorKind', {
  values: ['STATE', 'GOVERNMENT_BODY', 'ORGANIZATION', 'MEDIA_OUTLET', 'PERSON', 'GROUP'] as const satisfies readonly ActorKind[],
});

export const AffiliationRef = builder.objectRef<AffiliationRow>('Affiliation').implement({
  description: 'A member of an organisation, with its role there.',
  fields: (t) => ({
    member: t.field({ type: ActorRef, resolve: (row, _args, { loaders }) => loaders.actors.byId.load(row.member_id).then(required) }),
    organization: t.field({
      type: ActorRef,
      resolve: (row, _args, { loaders }) => loaders.actors.byId.load(row.organization_id).then(required),
    }),
    role: t.exposeString('role', { nullable: true, description: 'As the sources put it: `editor-in-chief`, `spokeswoman`, `head`.' }),
  }),
});

builder.node(ActorRef, {
  description: 'A state, body, organisation, outlet, group or person that acts or is acted upon.',
  id: { resolve: (actor) => actor.id },
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Stable, human-readable key, e.g. `sputnik-azerbaijan`.' }),
    name: t.exposeString('name'),
    aliases: t.stringList({
      description: 'Other names and spellings found in the sources (`Evgeny Belousov` / `Yevgeny Belousov`).',
      resolve: (actor, _args, { loaders }) => loaders.actors.aliasesByActorId.load(actor.id),
    }),
    kind: t.field({ type: ActorKindEnum, resolve: (actor) => actor.kind as ActorKind }),
    description: t.exposeString('description', { nullable: true }),
    country: t.field({
      type: ActorRef,
      nullable: true,
      description: 'The state the actor belongs to; for a person, their state of citizenship where the sources say.',
      resolve: (actor, _args, { loaders }) => {
        if (actor.country_id === null) return null;
        // An actor reached through a participant carries its country (joined).
        return actor.country ?? loaders.actors.byId.load(actor.country_id);
      },
    }),
    affiliations: t.field({
      type: [AffiliationRef],
      description: 'Organisations this actor belongs to, with its role there.',
      resolve: (actor, _args, { loaders }) => loaders.actors.affiliationsByMemberId.load(actor.id),
    }),
    members: t.field({
      type: [AffiliationRef],
      description: 'Actors that belong to this one.',
      resolve: (actor, _args, { loaders }) => loaders.actors.affiliationsByOrganizationId.load(actor.id),
    }),
    events: t.field({
      type: EventConnection,
      description: 'Events this actor takes part in, by date; with `role`, only in that role.',
      args: { role: t.arg({ type: ParticipantRoleEnum }), ...forwardPageArgs(t.arg) },
      resolve: (actor, args, { loaders }) => actorEventsConnection(loaders, actor.id, args.role ?? null, args),
    }),
    measuresTaken: t.field({
      type: RetaliatoryMeasureConnection,
      description: 'Retaliatory measures this actor initiated, by date.',
      args: forwardPageArgs(t.arg),
      resolve: (actor, args, { loaders }) => actorMeasuresConnection(loaders, 'initiator_id', actor.id, args),
    }),
    measuresReceived: t.field({
      type: RetaliatoryMeasureConnection,
      description: 'Retaliatory measures aimed at this actor, by date.',
      args: forwardPageArgs(t.arg),
      resolve: (actor, args, { loaders }) => actorMeasuresConnection(loaders, 'target_id', actor.id, args),
    }),
    claims: t.field({
      type: [ClaimRef],
      description: 'Claims this actor makes.',
      resolve: (actor, _args, { loaders }) => loaders.claims.byClaimantId.load(actor.id),
    }),
    citations: t.field({ type: [CitationRef], resolve: (actor, _args, { loaders }) => loaders.citations.byActorId.load(actor.id) }),
  }),
});

export const ActorConnection = connectionType(ActorRef, 'Actor');

export const ActorFilterInput = builder.inputType('ActorFilter', {
  fields: (t) => ({
    kind: t.field({ type: [ActorKindEnum] }),
    country: t.id({ description: 'Actors of this state, by ID or slug (`russia`).' }),
    name: t.string({ description: 'Matches the name or any alias, ignoring case: any part of it (`kartav` finds Igor Kartavykh).' }),
  }),
});

builder.queryFields((t) => ({
  actors: t.field({
    type: ActorConnection,
    description: 'Actors by name.',
    args: { filter: t.arg({ type: ActorFilterInput }), ...pageArgs(t.arg) },
    resolve: async (_root, args, { loaders }) => {
      const list = 'actors';
      const request = pageRequest(list, args);
      const filter = {
        kinds: args.filter?.kind,
        countryId: optionalKeyArgument('Actor', args.filter?.country, 'filter.country'),
        name: args.filter?.name,
      };
      return toConnection(list, request, await loaders.actors.page(filter, request), {
        cursorOf: (actor) => sortValues(actor, ACTOR_SORT_KEYS),
        totalCount: () => loaders.actors.count(filter),
      });
    },
  }),
  actor: t.field({
    type: ActorRef,
    nullable: true,
    description: 'The actor with this slug, or null.',
    args: { slug: t.arg.string({ required: true }) },
    resolve: (_root, { slug }, { loaders }) => loaders.actors.bySlug.load(slug),
  }),
}));
