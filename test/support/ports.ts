import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * The pid of the process listening on a loopback TCP port (Linux /proc), so a test can kill a
 * server from outside the way a crash or a user would.
 */
export function pidListeningOn(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  // IPv4 and IPv6 sockets: a server that listens on all interfaces (Node's default) is in tcp6.
  const listening = ['/proc/net/tcp', '/proc/net/tcp6']
    .flatMap((table) => readFileSync(table, 'utf8').split('\n'))
    .map((row) => row.trim().split(/\s+/))
    // Columns: sl, local address, remote address, state (0A = LISTEN), ..., inode (index 9).
    .find((columns) => columns[1]?.endsWith(`:${hexPort}`) && columns[3] === '0A');
  const inode = listening?.[9];
  if (!inode) throw new Error(`Nothing listens on port ${port}.`);
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return Number(pid);
      }
    } catch {
      // Processes come and go, and some are not ours to read.
    }
  }
  throw new Error(`The process listening on port ${port} was not found.`);
}
