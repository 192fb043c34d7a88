/**
 * Loaded with `node --require` into a process the memory benchmark starts where there is no /proc: as the process
 * exits, writes `{"maxRSS": kilobytes}` (process.resourceUsage) to the file named by DUBAN_BENCH_RSS_FILE. No IPC:
 * the process under test is otherwise left as it is.
 */
import fs from 'node:fs';

export const RSS_FILE_VARIABLE = 'DUBAN_BENCH_RSS_FILE';

const file = process.env[RSS_FILE_VARIABLE];
if (file) {
  process.on('exit', () => {
    try {
      fs.writeFileSync(file, JSON.stringify({ maxRSS: process.resourceUsage().maxRSS }));
    } catch {
      // The benchmark reports the figure as unknown.
    }
  });
}
