// Finding server processes on Linux through /proc, without blocking the event loop (the load
// generator shares it): the process listening on a port, and a process's children.
import { readdir, readFile, readlink } from 'node:fs/promises';

/** The inodes of sockets listening on `port` (IPv4 and IPv6), from /proc/net. */
async function listeningInodes(port: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const row of text.split('\n').slice(1)) {
      const cols = row.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT, st 0A = LISTEN, inode is column 10.
      if (cols.length > 9 && cols[1].endsWith(`:${hexPort}`) && cols[3] === '0A') inodes.add(cols[9]);
    }
  }
  return inodes;
}

const processIds = async (): Promise<number[]> =>
  (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);

/** The process listening on a loopback TCP port, or undefined. */
export async function pidListeningOn(port: number): Promise<number | undefined> {
  const inodes = await listeningInodes(port);
  if (inodes.size === 0) return undefined;
  for (const pid of await processIds()) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      if (target.startsWith('socket:[') && inodes.has(target.slice(8, -1))) return pid;
    }
  }
  return undefined;
}

/** `pid` and its direct children (a PostgreSQL postmaster and its backends). */
export async function withChildren(pid: number): Promise<number[]> {
  const parents = await Promise.all(
    (await processIds()).map(async (candidate) => {
      const stat = await readFile(`/proc/${candidate}/stat`, 'utf8').catch(() => '');
      // The fields after the command (which may hold spaces) start after the last ')': state, ppid, …
      return [candidate, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])] as const;
    }),
  );
  return [pid, ...parents.filter(([, parent]) => parent === pid).map(([child]) => child)];
}
