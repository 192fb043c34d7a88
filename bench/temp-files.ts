/** A private temporary folder for the benchmark's SQLite files, removed at the end (or on exit). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class TempFiles {
  readonly dir: string;
  private counter = 0;
  private removed = false;
  private readonly onExit = (): void => this.cleanup();
  private readonly onInterrupt = (): void => {
    this.cleanup();
    process.exit(130);
  };

  constructor(prefix = 'duban-bench-') {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    process.on('exit', this.onExit);
    process.once('SIGINT', this.onInterrupt);
  }

  /** A path for a new database file (not created). */
  nextDb(): string {
    this.counter += 1;
    return path.join(this.dir, `bench-${this.counter}.sqlite`);
  }

  /** Removes a database file with its WAL and shared-memory files. */
  removeDb(file: string): void {
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
  }

  cleanup(): void {
    if (this.removed) return;
    this.removed = true;
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onInterrupt);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
