import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, loadConfig, loadDotEnv } from '../src/config';
import { tempDir } from './helpers/run-cli';

describe('loadConfig', () => {
  it('has working defaults with an empty environment', () => {
    expect(loadConfig({})).toEqual({
      DB_PATH: 'data/duban.db',
      PLAN_FILE: 'data/plan.txt',
      UNITS_FILE: 'data/units.yaml',
      PORT: 3000,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'auto',
    });
  });

  it('reads values and treats blank ones as unset', () => {
    const c = loadConfig({ PORT: '8080', DB_PATH: '/var/lib/duban/duban.db', LOG_LEVEL: ' ' });
    expect(c.PORT).toBe(8080);
    expect(c.DB_PATH).toBe('/var/lib/duban/duban.db');
    expect(c.LOG_LEVEL).toBe('info');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT 的值“abc”无效，示例：PORT=3000'],
    [{ PORT: '70000' }, 'PORT 的值“70000”无效'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL 的值“loud”无效，示例：LOG_LEVEL=info'],
  ])('rejects %o with a Chinese message naming the variable, value and an example', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT[\s\S]*LOG_LEVEL/);
  });
});

describe('loadDotEnv', () => {
  it('fills unset variables from .env and never overrides the environment', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, '.env');
      fs.writeFileSync(file, '# 注释\nPORT=4000\nDB_PATH="data/x.db"\n');
      const env: NodeJS.ProcessEnv = { PORT: '5000' };
      loadDotEnv(env, file);
      expect(env).toEqual({ PORT: '5000', DB_PATH: 'data/x.db' });
    } finally {
      cleanup();
    }
  });
});
