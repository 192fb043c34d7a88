/**
 * Who holds a message that is being sent. A message claimed by a process that has died (SIGKILL, power
 * loss) is taken over at once on the same machine, instead of waiting for its lease to expire.
 */
import os from 'node:os';

export function currentOwner(): string {
  return `${os.hostname()}/${process.pid}`;
}

/** False only when the owner is a process of this machine that no longer runs. */
export function ownerMayBeAlive(owner: string): boolean {
  const slash = owner.lastIndexOf('/');
  const host = owner.slice(0, slash);
  const pid = Number(owner.slice(slash + 1));
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
