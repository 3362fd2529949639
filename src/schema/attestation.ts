import { ATTESTATIONS, type Attestation } from '../domain.js';
import { builder } from './builder.js';

export const AttestationEnum = builder.enumType('Attestation', {
  description:
    'How far the sources vouch for a record or a link (after Wikidata\'s "sourcing\ncircumstances"): a thing a source states in its own voice is REPORTED; a thing\nonly a party or an opinion piece asserts, or that a source hedges\n("reportedly", "seen as", "appeared to", "alleged"), is ALLEGED.',
  values: {
    REPORTED: { description: 'A source states it in its own voice.' },
    ALLEGED: { description: 'Only a party or an opinion piece asserts it, or a source hedges it.' },
  } satisfies Record<Attestation, object>,
});

export const asAttestation = (value: string) => value as (typeof ATTESTATIONS)[number];
