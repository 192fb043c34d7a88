/** The service (`node dist/main.js`) as a child process, for the crash soak: start, SIGTERM, SIGKILL. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { childEnv, ROOT } from '../helpers/run-cli';

const MAIN = path.join(ROOT, 'dist', 'main.js');

export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  logs: () => string[];
  /** Resolves with the exit code (null after a signal) once the process is gone. */
  exited: Promise<number | null>;
}

/** Every service started and not yet gone: killed when the soak ends, whatever happened. */
export const runningServices = new Set<ChildProcess>();

/** Starts the service and waits for its "started" log line (the callback and the worker are on then). */
export function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: childEnv({ LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', SCHEDULER: 'off', ...env }),
  });
  runningServices.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      runningServices.delete(child);
      resolve(code);
    }),
  );
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${lines.join('\n')}`)), 30_000);
    let buf = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const rec = JSON.parse(line) as { port?: number; msg: string };
        if (rec.msg.startsWith('督办服务已启动')) {
          clearTimeout(timer);
          resolve({ child, port: rec.port!, logs: () => lines, exited });
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code}:\n${lines.join('\n')}`));
    });
  });
}

/** SIGTERM, then the exit code. */
export function stopServiceProcess(s: ServiceProcess): Promise<number | null> {
  s.child.kill('SIGTERM');
  return s.exited;
}
