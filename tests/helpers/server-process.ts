import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
// By absolute URL, so a server started in another working directory still finds tsx.
const TSX = pathToFileURL(fileURLToPath(new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url))).href;

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** Every JSON log line so far. */
  readonly logs: Record<string, any>[];
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The real server, `node src/main.ts`, on the Node running the tests; resolves once it listens
 * and, unless `waitForReady` is false, has migrated and seeded its database.
 */
export async function startServerProcess(
  env: Record<string, string | undefined>,
  cwd?: string,
  { waitForReady = true }: { waitForReady?: boolean } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd,
    env: { ...process.env, DATABASE_URL: undefined, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, any>[] = [];
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    let listening: number | undefined;
    let ready = false;
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        output += `${line}\n`;
        try {
          const entry = JSON.parse(line);
          logs.push(entry);
          if (entry.url && entry.port) listening = entry.port;
          if (entry.ready === true) ready = true;
          if (listening !== undefined && (ready || !waitForReady)) resolve(listening);
        } catch {
          // Not a log line; kept in `output` for the failure message.
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
  return {
    child,
    port,
    logs,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the server with a configuration it must refuse; resolves with its exit code and everything it wrote. */
export function runRefusedServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}
