import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where Debian puts the server's binaries; the fault tests are skipped without them. */
export const POSTGRES_BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';
export const canRunClusters = existsSync(path.join(POSTGRES_BIN, 'initdb')) && existsSync('/usr/sbin/runuser') && process.getuid?.() === 0;

/**
 * A Postgres cluster of the test's own, in a temporary directory, on a free
 * port: stopped and started at will without touching the machine's shared one.
 * Runs as the `postgres` user, since Postgres refuses to run as root.
 */
export interface ThrowawayCluster {
  /** A URL of its `postgres` database (trust authentication, loopback only). */
  readonly url: string;
  readonly port: number;
  readonly running: boolean;
  /** The same server's URL for another database. */
  urlOf(database: string): string;
  start(): Promise<void>;
  /** `pg_ctl -m immediate stop`: every backend dies at once, as in a crash. */
  kill(): Promise<void>;
  /** Kills it if running and deletes its directory. */
  destroy(): Promise<void>;
}

export async function createCluster(): Promise<ThrowawayCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-cluster-'));
  const { uid, gid } = await postgresUser();
  chownSync(dir, uid, gid);
  const data = path.join(dir, 'data');
  const asPostgres = (binary: string, args: string[]) =>
    run('/usr/sbin/runuser', ['-u', 'postgres', '--', path.join(POSTGRES_BIN, binary), ...args], { cwd: dir, timeout: 120_000 });
  try {
    await asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '--no-instructions']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const port = await freePort();
  let running = false;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const kill = async () => {
    await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    running = false;
  };
  return {
    url,
    port,
    get running() {
      return running;
    },
    urlOf: (database) => url.replace(/\/postgres$/, `/${database}`),
    async start() {
      await asPostgres('pg_ctl', [
        '-D',
        data,
        '-l',
        path.join(dir, 'server.log'),
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`,
        '-w',
        '-t',
        '60',
        'start',
      ]);
      running = true;
    },
    kill,
    async destroy() {
      try {
        if (running) await kill();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
