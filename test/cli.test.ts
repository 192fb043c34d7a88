import * as fs from 'node:fs';
import * as path from 'node:path';
import iconv from 'iconv-lite';
import { Store } from '../src/store/store';
import { spawnSync } from 'node:child_process';
import { CLI, dbBytes, runCli, SEED, tempDir } from './helpers/run-cli';

const seedText = fs.readFileSync(SEED, 'utf8');

describe('duban plan parse', () => {
  it('prints the seed as JSON with 9 items and 20 tasks and writes nothing', () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = path.join(dir, 'never.db');
      const r = runCli(['plan', 'parse', SEED, '--json'], { DB_PATH: db });
      expect(r.status).toBe(0);
      const plan = JSON.parse(r.stdout);
      expect(plan.title).toBe('2020年秀洲区法治政府建设工作要点');
      expect(plan.sections.map((s: { number: string }) => s.number)).toEqual(['一', '二', '三']);
      expect(plan.items).toHaveLength(9);
      const tasks = plan.items.flatMap((i: { tasks: unknown[] }) => i.tasks);
      expect(tasks).toHaveLength(20);
      expect(tasks[1]).toEqual({
        id: '1.2',
        text: '加强对疫情防控涉及行政执法工作的指导与监督,加大对危害疫情防控行为的执法力度。',
        units: ['区司法局', '区市场监管局', '区综合行政执法局'],
        leads: ['区司法局'],
        qualifier: null,
        deadline: null,
      });
      expect(fs.existsSync(db)).toBe(false);
    } finally {
      cleanup();
    }
  });

  it('prints a readable tree with 牵头 marked when --json is not given', () => {
    const r = runCli(['plan', 'parse', SEED]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('共 3 个部分、9 项事项、20 项任务');
    expect(r.stdout).toContain('一、依法全面履行政府职能');
    expect(r.stdout).toContain('牵头：区司法局\u3000配合：区市场监管局、区综合行政执法局');
  });

  it('reads a GB18030 file and a .docx to the same plan as the UTF-8 text', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const gbk = path.join(dir, 'plan-gbk.txt');
      fs.writeFileSync(gbk, iconv.encode(seedText, 'gb18030'));
      const docxFile = path.join(dir, 'plan.docx');
      const { Document, Packer, Paragraph } = await import('docx');
      const doc = new Document({
        sections: [{ children: seedText.split('\n').map((line) => new Paragraph({ text: line })) }],
      });
      fs.writeFileSync(docxFile, await Packer.toBuffer(doc));
      const utf8 = JSON.parse(runCli(['plan', 'parse', SEED, '--json']).stdout);
      for (const file of [gbk, docxFile]) {
        const r = runCli(['plan', 'parse', file, '--json']);
        expect(r.status).toBe(0);
        expect(JSON.parse(r.stdout).items).toEqual(utf8.items);
      }
    } finally {
      cleanup();
    }
  });

  it('reads a table in a .docx: one row per item, lead and responsible columns, deadline column', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const { Document, Packer, Paragraph, Table, TableRow, TableCell } = await import('docx');
      const rows = [
        ['序号', '重点工作任务', '牵头单位', '责任单位', '完成时限'],
        ['一、优化营商环境', '', '', '', ''],
        ['1', '深化“最多跑一次”改革,推进政务服务事项全部网上可办。', '区政务数据办', '区级有关部门', '2021年9月底前'],
        ['2', '全面推行证明事项告知承诺制。', '区司法局', '区市场监管局、区人力社保局', '年底前'],
      ];
      const cell = (t: string) => new TableCell({ children: [new Paragraph(t)] });
      const doc = new Document({
        sections: [
          {
            children: [
              new Paragraph('2021年某区重点工作任务分解方案'),
              new Table({ rows: rows.map((r) => new TableRow({ children: r.map(cell) })) }),
            ],
          },
        ],
      });
      const file = path.join(dir, 'table.docx');
      fs.writeFileSync(file, await Packer.toBuffer(doc));
      const r = runCli(['plan', 'parse', file, '--json']);
      expect(r.status).toBe(0);
      const plan = JSON.parse(r.stdout);
      expect(plan.sections).toEqual([{ number: '一', title: '优化营商环境' }]);
      expect(plan.items.map((i: { tasks: unknown[] }) => i.tasks)).toEqual([
        [{ id: '1.1', text: '深化“最多跑一次”改革,推进政务服务事项全部网上可办。', units: ['区政务数据办', '区级有关部门'], leads: ['区政务数据办'], qualifier: null, deadline: '2021-09-30' }],
        [{ id: '2.1', text: '全面推行证明事项告知承诺制。', units: ['区司法局', '区市场监管局', '区人力社保局'], leads: ['区司法局'], qualifier: null, deadline: '2021-12-31' }],
      ]);
    } finally {
      cleanup();
    }
  });

  it('exits non-zero with a Chinese message naming the file for a text with no items', () => {
    const { dir, cleanup } = tempDir();
    try {
      const f = path.join(dir, 'notice.txt');
      fs.writeFileSync(f, '各镇人民政府:\n现将有关事项通知如下,请认真贯彻执行。\n');
      const r = runCli(['plan', 'parse', f]);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(f);
      expect(r.stderr).toContain('没有找到编号的事项');
      expect(r.stdout).toBe('');
    } finally {
      cleanup();
    }
  });
});

describe('duban plan import', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    db = path.join(dir, 'data', 'duban.db');
  });
  afterEach(() => cleanup());

  const taskIds = () => {
    const store = Store.open(db);
    try {
      const tree = store.getPlanTree(store.listPlans()[0]!.id)!;
      return Object.fromEntries(tree.items.flatMap((i) => i.tasks.map((t) => [t.key, { id: t.id, text: t.text }])));
    } finally {
      store.close();
    }
  };

  it('imports the seed, and importing it again changes nothing and says so', () => {
    const first = runCli(['plan', 'import', SEED], { DB_PATH: db });
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('已导入新计划《2020年秀洲区法治政府建设工作要点》：9 项事项、20 项任务');
    const before = dbBytes(db);
    const again = runCli(['plan', 'import', SEED], { DB_PATH: db });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('与上次导入的文件完全相同，数据库未作任何修改');
    expect(dbBytes(db)).toBe(before);
  });

  it('updates an edited plan, keeps the ids of tasks still there, and archives tasks that are gone', () => {
    expect(runCli(['plan', 'import', SEED], { DB_PATH: db }).status).toBe(0);
    const before = taskIds();
    // Item 6 loses its last task; task 2.1 is reworded.
    const edited = seedText
      .replace('健全政府购买公共服务制度,完善社会力量兴办社会事业机制,探索公建民营、民办公助等制度,促进公共服务多元化供给。(责任单位:区级有关部门)', '')
      .replace('打造“15分钟便民政务服务圈”升级版。', '打造“10分钟便民政务服务圈”。');
    const file = path.join(dir, 'edited.txt');
    fs.writeFileSync(file, edited);
    const r = runCli(['plan', 'import', file], { DB_PATH: db });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('已更新计划');
    expect(r.stdout).toContain('修改任务 1 项：2.1');
    expect(r.stdout).toContain('归档任务 1 项：6.4');
    const after = taskIds();
    expect(after['2.1']!.id).toBe(before['2.1']!.id);
    expect(after['2.1']!.text).toContain('10分钟便民政务服务圈');
    expect(after['6.4']).toBeUndefined();
    expect(after['9.2']!.id).toBe(before['9.2']!.id);
    const store = Store.open(db);
    try {
      expect(store.countRows().tasks).toBe(20); // archived, not deleted
    } finally {
      store.close();
    }
  });

  it('shows with --dry-run what an import would change, and writes nothing', () => {
    expect(runCli(['plan', 'import', SEED], { DB_PATH: db }).status).toBe(0);
    const before = dbBytes(db);
    const file = path.join(dir, 'edited.txt');
    fs.writeFileSync(file, seedText.replace('打造“15分钟便民政务服务圈”升级版。', '打造“10分钟便民政务服务圈”。'));
    const r = runCli(['plan', 'import', file, '--dry-run'], { DB_PATH: db });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('试导入，数据库未作任何修改。正式导入将更新计划《2020年秀洲区法治政府建设工作要点》');
    expect(r.stdout).toContain('修改任务 1 项：2.1');
    expect(dbBytes(db)).toBe(before);
  });

  it('reports tasks that only moved as renumbered, and brings a deleted task back with its row', () => {
    expect(runCli(['plan', 'import', SEED], { DB_PATH: db }).status).toBe(0);
    const ids = taskIds();
    // Item 5 deleted: items 6–9 become 5–8.
    const lines = seedText.split('\n');
    const without5 = lines
      .filter((l) => !l.startsWith('5.推进政府数字化转型'))
      .map((l) => l.replace(/^([6-9])\./, (_m, n: string) => `${Number(n) - 1}.`))
      .join('\n');
    const file = path.join(dir, 'without-5.txt');
    fs.writeFileSync(file, without5);
    const r = runCli(['plan', 'import', file], { DB_PATH: db });
    expect(r.stdout).toContain('归档任务 1 项：5.1');
    expect(r.stdout).toContain('重新编号 9 项');
    expect(r.stdout).not.toContain('修改任务');
    const back = runCli(['plan', 'import', SEED], { DB_PATH: db });
    expect(back.stdout).toContain('恢复任务 1 项：5.1');
    expect(taskIds()['5.1']!.id).toBe(ids['5.1']!.id);
  });

  it('refuses a second plan by mistake: a retitled file needs --plan (or --new for another plan)', () => {
    expect(runCli(['plan', 'import', SEED], { DB_PATH: db }).status).toBe(0);
    const file = path.join(dir, 'retitled.txt');
    fs.writeFileSync(file, seedText.replace(/^2020年秀洲区法治政府建设工作要点$/m, '2020年秀洲区法治政府建设工作要点（修订稿）'));
    const before = dbBytes(db);
    const refused = runCli(['plan', 'import', file], { DB_PATH: db });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('数据库中已有计划：1《2020年秀洲区法治政府建设工作要点》');
    expect(refused.stderr).toContain(`duban plan import ${file} --plan 编号`);
    expect(refused.stderr).toContain(`duban plan import ${file} --new`);
    expect(dbBytes(db)).toBe(before);

    const r = runCli(['plan', 'import', file, '--plan', '1'], { DB_PATH: db });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('已更新计划《2020年秀洲区法治政府建设工作要点(修订稿)》');
    expect(r.stdout).toContain('计划标题由《2020年秀洲区法治政府建设工作要点》改为《2020年秀洲区法治政府建设工作要点(修订稿)》');
    // The original file again belongs to plan 1, not to a new plan.
    expect(runCli(['plan', 'import', SEED], { DB_PATH: db }).status).toBe(0);
    const bad = runCli(['plan', 'import', file, '--plan', '7'], { DB_PATH: db });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('没有编号为 7 的计划');
    expect(bad.stderr).not.toContain('意外');

    const other = path.join(dir, 'other.txt');
    fs.writeFileSync(other, seedText.replace(/^2020年秀洲区法治政府建设工作要点$/m, '2021年秀洲区法治政府建设工作要点'));
    expect(runCli(['plan', 'import', other, '--new'], { DB_PATH: db }).stdout).toContain('已导入新计划《2021年秀洲区法治政府建设工作要点》');
    const store = Store.open(db);
    try {
      expect(store.listPlans().map((p) => p.title)).toEqual(['2020年秀洲区法治政府建设工作要点', '2021年秀洲区法治政府建设工作要点']);
    } finally {
      store.close();
    }
  });

  it.each([
    ['an empty file', Buffer.alloc(0), '文件为空'],
    ['a binary file', Buffer.from([0, 1, 2, 3, 0, 255, 254, 0, 9, 0, 0, 7]), ''],
    ['a document with no items', Buffer.from('关于做好有关工作的通知\n请各单位认真落实。\n'), '没有找到编号的事项'],
    ['an unreadable .docx', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64, 7)]), '.docx'],
  ])('rejects %s with a Chinese message and leaves the database as it was', (_name, bytes, words) => {
    expect(runCli(['plan', 'import', SEED], { DB_PATH: db }).status).toBe(0);
    const before = dbBytes(db);
    const file = path.join(dir, 'bad-input.txt');
    fs.writeFileSync(file, bytes);
    const r = runCli(['plan', 'import', file], { DB_PATH: db });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('bad-input.txt');
    expect(r.stderr).toContain(words);
    expect(r.stderr).toMatch(/[\u4e00-\u9fa5]/);
    expect(dbBytes(db)).toBe(before);
  });

  it('imports a plan where an item has no units, with a warning naming that item', () => {
    const file = path.join(dir, 'partial.txt');
    fs.writeFileSync(file, seedText.replace('〔责任单位:区政务数据办,区级有关部门,各镇人民政府(街道办事处),秀洲国家高新区管委会〕', ''));
    const r = runCli(['plan', 'import', file], { DB_PATH: db });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('以下事项有任务没有找到责任单位：第5项');
  });

  it('after an import, points at units the units file does not know, or at a missing units file', () => {
    const small = path.join(dir, 'units.yaml');
    fs.writeFileSync(small, '单位:\n  - 区司法局\n');
    const r = runCli(['plan', 'import', SEED], { DB_PATH: db, UNITS_FILE: small });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('单位目录中没有以下 11 个单位');
    expect(r.stderr).not.toMatch(/：[^\n]*区司法局、/);
    const missing = runCli(['plan', 'import', SEED], { DB_PATH: path.join(dir, 'other.db'), UNITS_FILE: path.join(dir, 'nope.yaml') });
    expect(missing.status).toBe(0);
    expect(missing.stderr).toContain('没有找到单位目录文件');
    expect(missing.stderr).toContain('nope.yaml');
  });

  it('shows the imported plan as a tree', () => {
    runCli(['plan', 'import', SEED], { DB_PATH: db });
    const r = runCli(['plan', 'show'], { DB_PATH: db });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('三、健全重大行政决策机制');
    expect(r.stdout).toContain('  9. 部署开展重大行政决策目录化管理专项行动');
    expect(r.stdout).toContain('牵头：区政府办公室\u3000配合：区司法局');
  });

  it('tells the user to import first when the database has no plan', () => {
    const r = runCli(['plan', 'show'], { DB_PATH: db });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('duban plan import');
  });
});

describe('databases: never created by mistake, errors in Chinese', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('does not create a database when a command that only reads gets a path with none', () => {
    const db = path.join(dir, 'typo', 'duban.db');
    for (const args of [['plan', 'show'], ['units', 'check']]) {
      const r = runCli(args, { DB_PATH: db });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`数据库文件 ${db} 不存在`);
    }
    expect(fs.existsSync(path.join(dir, 'typo'))).toBe(false);
  });

  it('does not create a database when an import fails on a new path', () => {
    const db = path.join(dir, 'new.db');
    const bad = path.join(dir, 'empty.txt');
    fs.writeFileSync(bad, '');
    expect(runCli(['plan', 'import', bad], { DB_PATH: db }).status).toBe(2);
    expect(fs.existsSync(db)).toBe(false);
  });

  it('says so in Chinese when DB_PATH is not a database', () => {
    const notDb = path.join(dir, 'notes.txt');
    fs.writeFileSync(notDb, '这不是数据库，只是一段文字。'.repeat(50));
    const r = runCli(['plan', 'import', SEED], { DB_PATH: notDb });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${notDb} 不是 SQLite 数据库文件`);
    expect(r.stderr).not.toMatch(/file is not a database/);
  });

  it('keeps a successful import successful when the units file is broken, and says why units were not checked', () => {
    const db = path.join(dir, 'duban.db');
    const broken = path.join(dir, 'units.yaml');
    fs.writeFileSync(broken, '单位：\n  - 区司法局\n');
    const r = runCli(['plan', 'import', SEED], { DB_PATH: db, UNITS_FILE: broken });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('已导入新计划');
    expect(r.stderr).toContain('计划已导入，但无法检查责任单位');
    expect(r.stderr).toContain('units.yaml');
  });

  it('ends quietly when its output pipe closes early', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" plan parse "${SEED}" | head -1`], { encoding: 'utf8' });
    expect(r.stdout).toBe('2020年秀洲区法治政府建设工作要点（2020年，嘉兴市秀洲区人民政府办公室，2020-11-11）\n');
    expect(r.stderr).toBe('');
  });
});

describe('duban units check', () => {
  it('knows every unit of the seed with the shipped units file, and lists what a file lacks', () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = path.join(dir, 'duban.db');
      runCli(['plan', 'import', SEED], { DB_PATH: db });
      const ok = runCli(['units', 'check'], { DB_PATH: db });
      expect(ok.status).toBe(0);
      expect(ok.stdout).toContain('单位目录认识计划中的全部单位');
      expect(ok.stdout).toContain('集合单位 各镇人民政府(街道办事处) → 王江泾镇、油车港镇、新塍镇、王店镇、洪合镇、新城街道、嘉北街道、塘汇街道、高照街道');
      const small = path.join(dir, 'units.yaml');
      fs.writeFileSync(small, '单位:\n  - 区司法局\n');
      const missing = runCli(['units', 'check', '--units-file', small], { DB_PATH: db });
      expect(missing.status).toBe(1);
      expect(missing.stdout).toContain('  - 区市场监管局');
      expect(missing.stdout).not.toContain('  - 区司法局');
    } finally {
      cleanup();
    }
  });
});

describe('duban help', () => {
  it('speaks Chinese', () => {
    const r = runCli(['--help']);
    expect(r.stdout).toContain('用法：');
    expect(r.stdout).toContain('命令：');
    expect(runCli(['plan', 'frobnicate']).stderr).toContain('错误');
  });

  it.each([
    [['plan', 'help', 'import'], '用法： duban plan import'],
    [['outbox', 'help', 'retry'], '用法： duban outbox retry'],
    [['help', 'remind'], '用法： duban remind'],
  ])('answers %j with that command\'s help', (args, usage) => {
    const r = runCli(args);
    expect(r.stdout).toContain(usage);
    expect(r.status).toBe(0);
  });
});
