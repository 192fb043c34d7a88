/**
 * Who holds a message that is being sent. A message claimed by a process that has died (SIGKILL, power
 * loss) is taken over at once on the same machine, instead of waiting for its lease to expire.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';

/** `host/pid/random`: the random part tells apart two containers that share a host name and pid 1. */
const INSTANCE = randomBytes(4).toString('hex');

export function currentOwner(): string {
  return `${os.hostname()}/${process.pid}/${INSTANCE}`;
}

/** False only when the owner is a process of this machine that no longer runs. */
export function ownerMayBeAlive(owner: string): boolean {
  const [host = '', pidText = ''] = owner.split('/');
  const pid = Number(pidText);
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
