import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const SERVICES = ['user', 'product', 'inventory', 'order', 'notification', 'ai', 'gateway'];

export interface PlatformProcess {
  /** Where each service listens, by name, as the process printed it. */
  urls: Record<string, string>;
  gateway: string;
  /** Sends `signal` (default SIGTERM) and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Everything the process printed so far (stdout and stderr), for failure messages. */
  output(): string;
}

/**
 * Starts `services/platform/src/main.ts` — what `make start` runs — as its own process, every
 * service on a free port, and resolves once it printed where they listen. `env` is added to this
 * process's environment (set `CARTWHEEL_DATA_DIR`).
 */
export async function launchPlatform(env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<PlatformProcess> {
  const ports = Object.fromEntries(SERVICES.map((name) => [`${name.toUpperCase()}_PORT`, '0']));
  const child: ChildProcess = spawn(process.execPath, ['--conditions=development', '--import=tsx', MAIN], {
    env: { ...process.env, ...ports, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const urls = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the platform did not start within ${timeoutMs} ms:\n${printed}`));
    }, timeoutMs);
    const check = () => {
      if (!printed.includes('Press Ctrl+C to stop.')) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      const found = [...printed.matchAll(/^ {2}([a-z]+) +(http:\/\/\S+) /gm)];
      resolve(Object.fromEntries(found.map((m) => [m[1], m[2]])));
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the platform exited with ${code} before it was ready:\n${printed}`));
    });
  });
  if (!urls.gateway) throw new Error(`the platform printed no gateway address:\n${printed}`);
  return {
    urls,
    gateway: urls.gateway,
    output: () => printed,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
