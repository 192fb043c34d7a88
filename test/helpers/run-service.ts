/**
 * Runs the built service (`node dist/main.js`, built by `npm test`) as `npm start` does, for tests of the real
 * process: start it and wait for its "started" line, stop it with SIGTERM, or run it until it refuses to start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { childEnv, ROOT } from './run-cli';

export const MAIN = path.join(ROOT, 'dist', 'main.js');

export interface Started {
  child: ChildProcess;
  port: number;
  /** Lines of stdout so far (JSON records unless LOG_FORMAT=pretty). */
  logs: () => string[];
  /** Everything written to stdout and stderr so far. */
  output: () => string;
}

/** Polls `done` every 50 ms until it holds or `ms` have passed; the assertions after it say what was wrong. */
export async function until(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
}

/** Services still running: a test that fails before stopping its service must not leave it (and jest) hanging. */
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

/** The port in the "started" line: a JSON record's `port`, or the address in a readable line. */
function startedPort(line: string): number | null {
  if (line.startsWith('{')) {
    const rec = JSON.parse(line) as { port?: number; msg: string };
    return rec.msg.startsWith('督办服务已启动') ? (rec.port ?? null) : null;
  }
  const m = /督办服务已启动：http:\/\/localhost:(\d+)\//.exec(line);
  return m ? Number(m[1]) : null;
}

/**
 * Starts `node dist/main.js` and waits for its "started" log line. The scheduler is off unless a test turns it on:
 * what it queues depends on today's date.
 */
export function startService(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: childEnv({ LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', SCHEDULER: 'off', ...env }),
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const lines: string[] = [];
  let all = '';
  child.stderr!.on('data', (chunk: Buffer) => (all += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${all}`)), 15000);
    let buf = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      all += text;
      buf += text;
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const port = startedPort(line);
        if (port !== null) {
          clearTimeout(timer);
          resolve({ child, port, logs: () => lines, output: () => all });
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code}:\n${all}`));
    });
  });
}

/** Runs `node dist/main.js` until it exits on its own (a refused start); returns its code and output (stdout+stderr). */
export async function runUntilExit(env: Record<string, string>, cwd = ROOT): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [MAIN], { cwd, env: childEnv({ LOG_LEVEL: 'info', PORT: '0', ...env }) });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, out };
}

/** Stops the service with SIGTERM; resolves with its exit code. */
export function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}
