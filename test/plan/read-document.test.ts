import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import iconv from 'iconv-lite';
import { DocumentReadError, readDocument } from '../../src/plan/read-document';
import { htmlToText } from '../../src/plan/docx-to-text';
import { decodeTextBytes } from '../../src/plan/detect-encoding';

const SEED_FILE = join(__dirname, '..', 'fixtures', 'seed-xiuzhou-2020.txt');
const seedBytes = readFileSync(SEED_FILE);
const seedText = seedBytes.toString('utf8');
const seedLines = seedText.split('\n').filter((line) => line.trim() !== '');

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'duban-read-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, bytes: Buffer | string): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function makeDocx(): Promise<Buffer> {
  const cell = (...texts: string[]): TableCell =>
    new TableCell({ children: texts.map((t) => new Paragraph(t)), width: { size: 3000, type: WidthType.DXA } });
  const doc = new Document({
    sections: [
      {
        children: [
          ...seedLines.slice(0, 12).map((line) => new Paragraph({ children: [new TextRun(line)] })),
          new Paragraph({ children: [new TextRun('符号 & < > " 保留')] }),
          new Table({
            rows: [
              new TableRow({ children: [cell('a'), cell('b'), cell('c')] }),
              new TableRow({ children: [cell('序号'), cell('任务', '第二段'), cell('区司法局')] }),
            ],
          }),
          new Paragraph('表后段落'),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

async function expectReadError(file: string, code: string, ...fragments: string[]): Promise<DocumentReadError> {
  const error = await readDocument(file).then(
    () => {
      throw new Error(`expected ${file} to fail with ${code}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DocumentReadError);
  const readError = error as DocumentReadError;
  expect(readError.code).toBe(code);
  expect(readError.file).toBe(file);
  expect(readError.message).toContain(file);
  for (const fragment of fragments) expect(readError.message).toContain(fragment);
  return readError;
}

describe('readDocument: plain text', () => {
  it('reads the seed fixture as UTF-8 with the sha256 of the raw bytes', async () => {
    const result = await readDocument(SEED_FILE);
    expect(result.encoding).toBe('utf-8');
    expect(result.text).toBe(seedText);
    expect(result.bytes).toBe(seedBytes.length);
    expect(result.sha256).toBe(sha256(seedBytes));
    expect(result.text).toContain('2020年秀洲区法治政府建设工作要点');
  });

  it('strips a UTF-8 BOM but hashes the raw bytes', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), seedBytes]);
    const result = await readDocument(write('bom.txt', bytes));
    expect(result.encoding).toBe('utf-8');
    expect(result.text).toBe(seedText);
    expect(result.bytes).toBe(seedBytes.length + 3);
    expect(result.sha256).toBe(sha256(bytes));
  });

  it('reads GB18030 (GBK) text', async () => {
    const bytes = iconv.encode(seedText, 'gb18030');
    expect(bytes.equals(seedBytes)).toBe(false);
    const result = await readDocument(write('gbk.txt', bytes));
    expect(result.encoding).toBe('gb18030');
    expect(result.text).toBe(seedText);
    expect(result.sha256).toBe(sha256(bytes));
  });

  it('reads UTF-16 LE and BE with a BOM', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(seedText, 'utf16le')]);
    const leResult = await readDocument(write('utf16le.txt', le));
    expect(leResult.encoding).toBe('utf-16le');
    expect(leResult.text).toBe(seedText);

    const be = Buffer.from(le);
    be.swap16();
    const beResult = await readDocument(write('utf16be.txt', be));
    expect(beResult.encoding).toBe('utf-16be');
    expect(beResult.text).toBe(seedText);
  });

  it('normalises CRLF line ends to LF', async () => {
    const result = await readDocument(write('crlf.txt', seedText.replace(/\n/g, '\r\n')));
    expect(result.text).toBe(seedText);
  });

  it('detects by content: GB18030 bytes named .docx are read as text', async () => {
    const result = await readDocument(write('really-gbk.docx', iconv.encode(seedText, 'gb18030')));
    expect(result.encoding).toBe('gb18030');
    expect(result.text).toBe(seedText);
  });
});

describe('readDocument: .docx', () => {
  let docx: Buffer;
  beforeAll(async () => {
    docx = await makeDocx();
  });

  it('puts each paragraph on its own line and each table row as "a | b | c"', async () => {
    const result = await readDocument(write('plan.docx', docx));
    expect(result.encoding).toBe('docx');
    expect(result.bytes).toBe(docx.length);
    expect(result.sha256).toBe(sha256(docx));
    const lines = result.text.split('\n');
    expect(lines.slice(0, 12)).toEqual(seedLines.slice(0, 12).map((line) => line.trim()));
    expect(lines).toContain('符号 & < > " 保留');
    expect(lines).toContain('a | b | c');
    expect(lines).toContain('序号 | 任务 第二段 | 区司法局');
    expect(lines[lines.length - 1]).toBe('表后段落');
  });

  it('detects by content: a .docx named .txt is read as docx', async () => {
    const result = await readDocument(write('really-docx.txt', docx));
    expect(result.encoding).toBe('docx');
    expect(result.text.split('\n')).toContain('a | b | c');
  });

  it('rejects a corrupted .docx with a Chinese message', async () => {
    const bytes = Buffer.concat([docx.subarray(0, 64), Buffer.from('这不是压缩数据'.repeat(50))]);
    await expectReadError(write('broken.docx', bytes), 'DOCX', '无法读取 .docx 文件');
  });

  it('rejects a ZIP header followed by garbage', async () => {
    const bytes = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('garbage'.repeat(30))]);
    await expectReadError(write('garbage.docx', bytes), 'DOCX', '无法读取 .docx 文件');
  });
});

describe('readDocument: errors', () => {
  it('rejects an empty file', async () => {
    const error = await expectReadError(write('empty.txt', ''), 'EMPTY', '文件为空', '请确认导出的是工作要点正文');
    expect(error.message).toMatch(/^无法读取计划文件 .*empty\.txt：文件为空。/);
  });

  it('rejects a whitespace-only file', async () => {
    await expectReadError(write('blank.txt', ' \n\t\r\n\u3000\n'), 'EMPTY');
  });

  it('rejects binary content with NUL bytes', async () => {
    const bytes = Buffer.alloc(4096);
    let seed = 12345;
    for (let i = 0; i < bytes.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      bytes[i] = (seed >> 16) & 0xff;
    }
    bytes[10] = 0;
    bytes[100] = 0;
    await expectReadError(write('random.txt', bytes), 'BINARY', '不是文本文件');
  });

  it('rejects an old binary .doc with advice to save as .docx', async () => {
    const bytes = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    await expectReadError(write('old.doc', bytes), 'BINARY', '.doc', '.docx');
  });

  it('rejects bytes that are neither UTF-8 nor plausible Chinese', async () => {
    const latin1 = Buffer.from('Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve r\xe9sum\xe9 \xe0 la fa\xe7ade\n', 'latin1');
    await expectReadError(write('latin1.txt', latin1), 'ENCODING', '编码', 'UTF-8');
    const big5 = Buffer.from([0xa4, 0x40, 0xa4, 0x48, 0xb7, 0x7c, 0xaa, 0x6b, 0xab, 0xdf, 0x0a]); // Big5 text
    await expectReadError(write('big5.txt', big5), 'ENCODING');
  });

  it('rejects a missing file', async () => {
    await expectReadError(join(dir, 'no-such-file.txt'), 'NOT_FOUND', '文件不存在');
  });

  it('rejects a directory', async () => {
    const sub = join(dir, 'a-folder');
    mkdirSync(sub);
    await expectReadError(sub, 'NOT_FOUND', '文件夹');
  });

  it('rejects a file above the size limit', async () => {
    const file = write('large.txt', seedBytes);
    const error = await readDocument(file, { maxBytes: 1024 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentReadError);
    expect((error as DocumentReadError).code).toBe('TOO_LARGE');
    expect((error as DocumentReadError).message).toContain('文件过大');
  });
});

describe('htmlToText', () => {
  it('decodes entities, drops images and inline tags, and breaks on <br>', () => {
    const html =
      '<h1>标题 &amp; 副题</h1><p>甲<strong>乙</strong><img src="data:x" />丙&#x4E01;&#25098;</p>' +
      '<p></p><p>x<br />y</p><ul><li>一<ul><li>二</li></ul></li></ul>';
    expect(htmlToText(html)).toBe('标题 & 副题\n甲乙丙丁戊\nx\ny\n一\n二');
  });

  it('puts a nested table inside its cell and skips empty rows', () => {
    const html =
      '<table><tr><td><p>a</p></td><td><table><tr><td>x</td><td>y</td></tr></table></td></tr>' +
      '<tr><td></td><td></td></tr><tr><th>h1</th><th><p>p1</p><p>p2</p></th></tr></table>';
    expect(htmlToText(html)).toBe('a | x | y\nh1 | p1 p2');
  });
});

describe('decodeTextBytes', () => {
  it('reads UTF-16 LE without a BOM when the text is mostly ASCII', () => {
    const result = decodeTextBytes(Buffer.from('Plan 2020: 工作要点\nline two\n', 'utf16le'));
    expect(result).toEqual({ ok: true, text: 'Plan 2020: 工作要点\nline two\n', encoding: 'utf-16le' });
  });

  it('prefers UTF-8 for pure ASCII', () => {
    expect(decodeTextBytes(Buffer.from('1. hello\n'))).toEqual({ ok: true, text: '1. hello\n', encoding: 'utf-8' });
  });
});
