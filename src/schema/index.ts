import { builder } from './builder.js';
// Each module registers its types and Query fields on the builder.
import './node.js';
import './event.js';
import './actor.js';
import './measure.js';
import './claim.js';
import './source.js';
import './citation.js';
import './search.js';
import './stats.js';

export const schema = builder.toSchema();
