/** Runs the built `duban` command (dist/cli.js, built by `npm test`) as a user would. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SETTING_NAMES } from '../../src/config';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const SEED = path.join(ROOT, 'test', 'fixtures', 'seed-xiuzhou-2020.txt');

/**
 * The environment of a spawned duban: this process's, with every duban setting blanked (a blank value means
 * "not set" to duban, and `.env` does not override a variable that is present), then the test's own. A developer's
 * `.env` or exported DINGTALK_WEBHOOK must never reach a test, let alone make it send to a real group.
 */
export function childEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const blank = Object.fromEntries(SETTING_NAMES.map((name) => [name, '']));
  return { ...process.env, ...blank, LOG_LEVEL: 'silent', ...env };
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string> = {}, cwd = ROOT): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env: childEnv(env),
    encoding: 'utf8',
    timeout: 30000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temporary directory, removed by the returned cleanup function. */
export function tempDir(prefix = 'duban-test-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The bytes of a SQLite database and its WAL, to prove a failed command wrote nothing. */
export function dbBytes(dbFile: string): string {
  const parts = [dbFile, `${dbFile}-wal`].map((f) => (fs.existsSync(f) ? fs.readFileSync(f).toString('base64') : ''));
  return parts.join('|');
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves when the command exits. */
  done: Promise<CliResult>;
  stdout: () => string;
  stderr: () => string;
}

/**
 * Starts the built `duban` command without blocking the test's event loop, for commands that talk to a fake
 * server living in the test process.
 */
export function startCli(args: string[], env: Record<string, string> = {}, cwd = ROOT): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: childEnv(env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  // A command that never ends (a fake server left failing) must not outlive the test run.
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  guard.unref();
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (status) => {
      clearTimeout(guard);
      resolve({ status, stdout, stderr });
    }),
  );
  return { child, done, stdout: () => stdout, stderr: () => stderr };
}

/** Runs the built `duban` command to the end without blocking the event loop. */
export function runCliAsync(args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<CliResult> {
  return startCli(args, env, cwd).done;
}
