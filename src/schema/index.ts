import { builder } from './builder.js';
import './actor.js';
import './citation.js';
import './claim.js';
import './event.js';
import './measure.js';
import './node.js';
import './search.js';
import './source.js';
import './stats.js';

export const schema = builder.toSchema({ sortSchema: false });
