import type { Kysely } from 'kysely';
import type { DB } from '../db/database.js';
import { createActorLoaders } from './actors.js';
import { BatchScheduler } from './batching.js';
import { createCitationLoaders } from './citations.js';
import { createClaimLoaders } from './claims.js';
import { createEventLoaders } from './events.js';
import { createMeasureLoaders } from './measures.js';
import { createSearchLoaders } from './search.js';
import { createSourceLoaders } from './sources.js';

export type Loaders = RequestLoaders;

/**
 * Every way a resolver reaches the database, one namespace per domain
 * (`loaders.events.byId`), so two domains cannot shadow each other's names.
 * Built fresh for every request: nothing cached outlives it.
 */
export function createLoaders(db: Kysely<DB>): Loaders {
  return new RequestLoaders(db);
}

/**
 * Each domain's loaders are built when a resolver first asks for them: a page
 * of events touches one or two of the seven domains, and building all thirty
 * loaders up front was 7% of what a cheap request allocates.
 */
class RequestLoaders {
  readonly #db: Kysely<DB>;
  readonly #batches = new BatchScheduler();
  #events?: ReturnType<typeof createEventLoaders>;
  #actors?: ReturnType<typeof createActorLoaders>;
  #measures?: ReturnType<typeof createMeasureLoaders>;
  #claims?: ReturnType<typeof createClaimLoaders>;
  #sources?: ReturnType<typeof createSourceLoaders>;
  #citations?: ReturnType<typeof createCitationLoaders>;
  #search?: ReturnType<typeof createSearchLoaders>;

  constructor(db: Kysely<DB>) {
    this.#db = db;
  }

  get events() {
    return (this.#events ??= createEventLoaders(this.#db, this.#batches));
  }
  get actors() {
    return (this.#actors ??= createActorLoaders(this.#db, this.#batches));
  }
  get measures() {
    return (this.#measures ??= createMeasureLoaders(this.#db, this.#batches));
  }
  get claims() {
    return (this.#claims ??= createClaimLoaders(this.#db, this.#batches));
  }
  get sources() {
    return (this.#sources ??= createSourceLoaders(this.#db, this.#batches));
  }
  get citations() {
    return (this.#citations ??= createCitationLoaders(this.#db, this.#batches));
  }
  get search() {
    return (this.#search ??= createSearchLoaders(this.#db));
  }
}
