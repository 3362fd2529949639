// PostGraphile 5 on the same tables, for the side-by-side benchmark. Installed
// outside the project (see http.ts), so this file is copied next to it.
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { PostGraphileRelayPreset } from 'postgraphile/presets/relay';
import { PgSimplifyInflectionPreset } from '@graphile/simplify-inflection';
import { PostGraphileConnectionFilterPreset } from 'postgraphile-plugin-connection-filter';
import { makePgService } from 'postgraphile/adaptors/pg';
import { jsonPgSmartTags } from 'postgraphile/utils';

// The Relay preset hides primary-key columns; a participant's role is one.
const Tags = jsonPgSmartTags({ version: 1, config: { attribute: { 'participant.role': { tags: { behavior: '+attribute:select' } } } } });

export default {
  extends: [PostGraphileAmberPreset, PostGraphileRelayPreset, PgSimplifyInflectionPreset, PostGraphileConnectionFilterPreset],
  plugins: [Tags],
  // A column with only a partial index (citation.subject_event_id) would otherwise get no relation field.
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  schema: { connectionFilterRelations: true },
  // Connections kept once opened, as this server's and the floor's pools do (src/db/connect.ts).
  pgServices: [makePgService({ connectionString: process.env.DATABASE_URL, schemas: ['public'], poolConfig: { max: 10, min: 10 } })],
  grafserv: { port: Number(process.env.PORT), host: '127.0.0.1', graphiql: false },
  grafast: { explain: false },
};
