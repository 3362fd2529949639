import type { RecordKey } from '../db/queries/record-key.js';
import { SLUG_PATTERN } from '../domain.js';
import { badUserInput } from '../errors.js';

/**
 * Opaque global IDs (Relay): base64url of `Typename:id`. Clients must not
 * parse them; the server decodes them to find a record of any type.
 */
export function encodeGlobalId(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${typename}:${id}`, 'utf8').toString('base64url');
}

/** The type and numeric id inside a global ID, or null when it is not one of ours. */
export function decodeGlobalId(globalId: string): { typename: string; id: string } | null {
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^([A-Za-z]+):([1-9]\d{0,9})$/.exec(decoded);
  if (!match || encodeGlobalId(match[1]!, match[2]!) !== globalId) return null;
  return { typename: match[1]!, id: match[2]! };
}

/**
 * A filter argument naming a record of `typename` by its opaque ID or by its
 * slug (`russia`), so dashboards need not look IDs up first. Slugs are
 * lower-case and IDs of our types never are, so the two cannot be confused.
 */
export function keyArgument(typename: string, value: string, argument: string): RecordKey {
  if (SLUG_PATTERN.test(value)) return { slug: value };
  const decoded = decodeGlobalId(value);
  if (decoded === null || decoded.typename !== typename) {
    throw badUserInput(`'${argument}' must be an ID or a slug of type ${typename}; got '${value}'`, argument);
  }
  return Number(decoded.id);
}

/** Like keyArgument, passing null and undefined through. */
export function optionalKeyArgument(typename: string, value: string | null | undefined, argument: string): RecordKey | null {
  return value == null ? null : keyArgument(typename, value, argument);
}
