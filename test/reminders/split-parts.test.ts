import { splitIntoParts, utf8Bytes } from '../../src/reminders/split-parts';

const header = '#### 区司法局：2025年9月工作进度请报送';
const footer = '回复示例：1.2 推进中 已完成制度清理';
const line = (i: number) => `- **${i}.1**〔牵头〕${'加强规范性文件监督管理'.repeat(3)}`;

describe('splitIntoParts', () => {
  it('keeps a short message whole', () => {
    const parts = splitIntoParts({ header, blocks: [['**第1项**', line(1)]], footer }, 16_000);
    expect(parts).toEqual([`${header}\n\n**第1项**\n\n${line(1)}\n\n${footer}`]);
  });

  it('cuts between items, repeats header and footer, and keeps every part under the limit', () => {
    const blocks = Array.from({ length: 200 }, (_, i) => [`**第${i + 1}项**`, line(i + 1), line(i + 1)]);
    const parts = splitIntoParts({ header, blocks, footer }, 4_000);
    expect(parts.length).toBeGreaterThan(5);
    for (const p of parts) {
      expect(utf8Bytes(p)).toBeLessThanOrEqual(4_000);
      expect(p.startsWith(header)).toBe(true);
      expect(p.endsWith(footer)).toBe(true);
    }
    // Nothing lost, nothing doubled, order kept.
    const items = parts.flatMap((p) => [...p.matchAll(/\*\*第(\d+)项\*\*/g)].map((m) => Number(m[1])));
    expect(items).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('cuts inside an item that alone is too big, repeating its heading', () => {
    const big = ['**第7项**', ...Array.from({ length: 80 }, (_, i) => line(i))];
    const parts = splitIntoParts({ header, blocks: [big], footer }, 3_000);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[1]).toContain('**第7项**（续）');
    expect(parts.join('').match(/- \*\*/g)).toHaveLength(80);
    for (const p of parts) expect(utf8Bytes(p)).toBeLessThanOrEqual(3_000);
  });
});
