import * as fs from 'node:fs';
import * as path from 'node:path';
import { whenChanged } from '../../src/app/chat-service';
import { loadConfig, receiveMode } from '../../src/config';
import { tempDir } from '../helpers/run-cli';

describe('whenChanged', () => {
  it('loads again only after the file changed, and when it appears or disappears', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, 'contacts.csv');
      let loads = 0;
      const get = whenChanged(file, () => ({ n: ++loads, text: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null }));
      expect(get()).toEqual({ n: 1, text: null });
      expect(get().n).toBe(1);
      fs.writeFileSync(file, 'a');
      expect(get()).toEqual({ n: 2, text: 'a' });
      expect(get().n).toBe(2);
      fs.writeFileSync(file, 'bb');
      expect(get()).toEqual({ n: 3, text: 'bb' });
      fs.rmSync(file);
      expect(get()).toEqual({ n: 4, text: null });
    } finally {
      cleanup();
    }
  });
});

describe('receiveMode', () => {
  it('receives the HTTP callback once the AppSecret is set, and refuses a mode without its credentials', () => {
    expect(receiveMode(loadConfig({}))).toBe('off');
    expect(receiveMode(loadConfig({ DINGTALK_APP_KEY: 'k', DINGTALK_APP_SECRET: 's' }))).toBe('http');
    expect(receiveMode(loadConfig({ DINGTALK_APP_KEY: 'k', DINGTALK_APP_SECRET: 's', DINGTALK_MODE: 'stream' }))).toBe('stream');
    expect(receiveMode(loadConfig({ DINGTALK_APP_KEY: 'k', DINGTALK_APP_SECRET: 's', DINGTALK_MODE: 'off' }))).toBe('off');
    expect(() => loadConfig({ DINGTALK_MODE: 'http' })).toThrow('DINGTALK_MODE=http（接收钉钉机器人回调，用 AppSecret 验证签名），还需要设置 DINGTALK_APP_SECRET');
    expect(() => loadConfig({ DINGTALK_MODE: 'stream', DINGTALK_APP_SECRET: 's' })).toThrow('还需要设置 DINGTALK_APP_KEY');
  });
});
