/**
 * Memory of a child process, read from outside it: VmRSS (resident now) and VmHWM (the kernel's high-water mark of
 * VmRSS over the process's life, so no peak between two samples is missed) from `/proc/<pid>/status`.
 *
 * Where there is no /proc (macOS, say), the child is started with `--require rss-preload.js` instead, which writes
 * `process.resourceUsage().maxRSS` to a file as it exits: the peak is then known, the idle figure is not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RSS_FILE_VARIABLE } from './rss-preload';

export interface ProcMemory {
  /** Bytes resident now (VmRSS). */
  rss: number;
  /** Most bytes ever resident (VmHWM). */
  hwm: number;
}

/** VmRSS and VmHWM from the text of a `/proc/<pid>/status` file, in bytes; null when either line is missing. */
export function parseProcStatus(text: string): ProcMemory | null {
  const kB = (field: string): number | null => {
    const m = new RegExp(`^${field}:\\s*(\\d+)\\s*kB\\s*$`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : null;
  };
  const rss = kB('VmRSS');
  const hwm = kB('VmHWM');
  return rss === null || hwm === null ? null : { rss, hwm };
}

/** The memory of a running process, or null when it has gone (or there is no /proc). */
export function readProcMemory(pid: number): ProcMemory | null {
  try {
    return parseProcStatus(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}

/** Whether /proc tells this process's VmRSS and VmHWM (Linux). */
export function procAvailable(): boolean {
  return readProcMemory(process.pid) !== null;
}

/**
 * Samples a process's memory every `intervalMs` until stopped: the largest VmRSS seen and the last VmHWM read. The
 * peak is VmHWM (which the kernel keeps), the samples show how the resident size moved.
 */
export class MemoryWatch {
  private timer: NodeJS.Timeout | null = null;
  private maxRss = 0;
  private hwm = 0;
  samples = 0;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 20,
  ) {}

  /** Reads now; null when the process has gone. */
  sample(): ProcMemory | null {
    const m = readProcMemory(this.pid);
    if (m) {
      this.samples++;
      this.maxRss = Math.max(this.maxRss, m.rss);
      this.hwm = Math.max(this.hwm, m.hwm);
    }
    return m;
  }

  start(): void {
    this.timer ??= setInterval(() => this.sample(), this.intervalMs);
  }

  /** Takes a last sample and stops; returns the peak (VmHWM) and the largest VmRSS sampled. */
  stop(): { peak: number; maxSampled: number } {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    return { peak: Math.max(this.hwm, this.maxRss), maxSampled: this.maxRss };
  }
}

/**
 * How to start a child whose peak memory is wanted when there is no /proc: node's arguments and environment that
 * make it write its maxRSS to `file` as it exits, and the reader of that file (bytes, null when it was not written).
 */
export function exitReport(file: string): { execArgv: string[]; env: Record<string, string>; read: () => number | null } {
  return {
    execArgv: ['--require', path.join(__dirname, 'rss-preload.js')],
    env: { [RSS_FILE_VARIABLE]: file },
    read: () => {
      try {
        const { maxRSS } = JSON.parse(fs.readFileSync(file, 'utf8')) as { maxRSS?: unknown };
        // resourceUsage() gives kilobytes.
        return typeof maxRSS === 'number' ? maxRSS * 1024 : null;
      } catch {
        return null;
      }
    },
  };
}
