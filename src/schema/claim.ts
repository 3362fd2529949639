import { required } from '../loaders/batching.js';
import { builder } from './builder.js';
import { optionalKeyArgument } from './global-id.js';
import { connectionType, pageArgs, pageRequest, toConnection } from './pagination.js';
import { ActorRef, CitationRef, ClaimRef, EventRef } from './refs.js';

builder.node(ClaimRef, {
  description:
    'An assertion attributed to whoever makes it, never presented as fact:\n"one brother died of a heart attack" (Russian authorities) against\n"both died of shock from physical trauma" (autopsies in Baku).',
  id: { resolve: (claim) => claim.id },
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Stable, human-readable key.' }),
    statement: t.exposeString('statement'),
    claimant: t.field({
      type: ActorRef,
      nullable: true,
      description: 'Who asserts it; null where a source asserts it in its own voice.',
      resolve: (claim, _args, { loaders }) => (claim.claimant_id === null ? null : loaders.actors.byId.load(claim.claimant_id)),
    }),
    about: t.field({
      type: [EventRef],
      resolve: async (claim, _args, { loaders }) => {
        const eventIds = await loaders.claims.eventIdsByClaimId.load(claim.id);
        return Promise.all(eventIds.map((id) => loaders.events.byId.load(id).then(required)));
      },
    }),
    contradictedBy: t.field({
      type: [ClaimRef],
      description: 'Claims that contradict this one.',
      resolve: (claim, _args, { loaders }) => loaders.claims.contradictingByClaimId.load(claim.id),
    }),
    contested: t.boolean({
      description: 'Whether some other claim contradicts this one.',
      resolve: async (claim, _args, { loaders }) => (await loaders.claims.contradictingByClaimId.load(claim.id)).length > 0,
    }),
    note: t.exposeString('note', { nullable: true }),
    citations: t.field({ type: [CitationRef], resolve: (claim, _args, { loaders }) => loaders.citations.byClaimId.load(claim.id) }),
  }),
});

export const ClaimConnection = connectionType(ClaimRef, 'Claim');

export const ClaimFilterInput = builder.inputType('ClaimFilter', {
  fields: (t) => ({
    claimant: t.id({ description: 'Claims made by this actor, by ID or slug.' }),
    about: t.id({ description: 'Claims about this event, by ID or slug.' }),
    contested: t.boolean({ description: 'Only claims that some other claim contradicts (false: only uncontested ones).' }),
  }),
});

builder.queryFields((t) => ({
  claims: t.field({
    type: ClaimConnection,
    description: 'Claims, with their claimants and what contradicts them.',
    args: { filter: t.arg({ type: ClaimFilterInput }), ...pageArgs(t.arg) },
    resolve: async (_root, args, { loaders }) => {
      const list = 'claims';
      const request = pageRequest(list, args);
      const filter = {
        claimantId: optionalKeyArgument('Actor', args.filter?.claimant, 'filter.claimant'),
        aboutId: optionalKeyArgument('Event', args.filter?.about, 'filter.about'),
        contested: args.filter?.contested,
      };
      return toConnection(list, request, await loaders.claims.page(filter, request), {
        cursorOf: (claim) => [claim.id],
        totalCount: () => loaders.claims.count(filter),
      });
    },
  }),
  claim: t.field({
    type: ClaimRef,
    nullable: true,
    description: 'The claim with this slug, or null.',
    args: { slug: t.arg.string({ required: true }) },
    resolve: (_root, { slug }, { loaders }) => loaders.claims.bySlug.load(slug),
  }),
}));
