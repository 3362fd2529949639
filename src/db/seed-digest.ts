import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectFile } from '../project-files.js';

/** The seeds shipped with the project. */
export const DEFAULT_SEEDS_DIR = projectFile('seeds');

/** The seed files, in load order; each is a YAML list of records. */
export const SEED_FILES = ['sources.yaml', 'actors.yaml', 'places.yaml', 'events.yaml', 'claims.yaml'] as const;

/** The folder holding the sources' full texts (`textFile`); every file in it is part of the digest. */
export const DOCUMENTS_DIR = 'documents';

/**
 * A digest of the seeds' bytes: the seed files and every document, by name and
 * content. It changes whenever any of them changes, and is computed without
 * parsing anything, so a warm start (the database already holds these seeds)
 * never loads the YAML parser or the validator: comparing it with
 * `seed_state.digest` is all it does with the seeds.
 */
export function seedDigest(dir: string = DEFAULT_SEEDS_DIR): string {
  const hash = createHash('sha256');
  const documents = existsSync(path.join(dir, DOCUMENTS_DIR))
    ? readdirSync(path.join(dir, DOCUMENTS_DIR), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
        .sort()
    : [];
  for (const file of [...SEED_FILES, ...documents]) {
    const filePath = path.join(dir, file);
    // A missing file hashes differently from an empty one; readSeeds reports it.
    hash.update(existsSync(filePath) ? `${file}\0${readFileSync(filePath, 'utf8')}\0` : `${file}\0(missing)\0`);
  }
  return hash.digest('hex');
}
