/**
 * The 台账 workbook written and read back with exceljs: the header styled and frozen, the 状态 cells filled in
 * their colour, one row per task and per report, and report text that could harm Excel made harmless.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { ledgerXlsx } from '../../src/status/ledger-xlsx';
import { useTempStore } from '../store/temp-db';
import { addReports, loadSeedWithDeadlines, REPORTS, ROW_4_2, statusDeps, viewOf } from './ledger-fixture';

const HEADERS = ['序号', '工作要点', '具体任务', '牵头单位', '配合单位', '完成时限', '本期进展', '状态', '报送时间', '报送人'];
const FILLS = { green: 'FFC6EFCE', yellow: 'FFFFEB9C', red: 'FFFFC7CE' };

async function read(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}

/** The values of a row from column 1 on (exceljs puts nothing at index 0). */
function values(row: ExcelJS.Row): unknown[] {
  return (row.values as unknown[]).slice(1);
}

function fillOf(cell: ExcelJS.Cell): string | undefined {
  const fill = cell.fill as ExcelJS.FillPattern | undefined;
  return fill?.fgColor?.argb;
}

describe('the 台账 workbook', () => {
  const db = useTempStore('duban-xlsx-');
  let planId = 0;

  beforeEach(async () => {
    planId = await loadSeedWithDeadlines(db.store);
    addReports(db.store, planId, REPORTS);
  });

  it('has a titled 台账 sheet with a bold, filled, frozen and filtered header and one row per task', async () => {
    const wb = await read(await ledgerXlsx(viewOf(statusDeps(db.store))));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['台账', '报送记录']);
    const ws = wb.getWorksheet('台账')!;
    expect(ws.getCell('A1').value).toBe('2020年秀洲区法治政府建设工作要点落实情况台账');
    expect(ws.getCell('A2').value).toBe('截至 2025年10月15日 10:00\u3000本期：2025年10月（10月30日截止）');
    const header = ws.getRow(3);
    expect(values(header)).toEqual(HEADERS);
    header.eachCell((c) => {
      expect(c.font?.bold).toBe(true);
      expect(fillOf(c)).toBe('FFD9E1F2');
    });
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.autoFilter).toBe('A3:J23');
    expect(ws.rowCount).toBe(3 + 20);
    expect(ws.getColumn(3).width).toBeGreaterThanOrEqual(40);
    expect(ws.getCell('G4').alignment?.wrapText).toBe(true);
    // 序号 is a number; the rest of the row is the 台账 row.
    expect(values(ws.getRow(11))).toEqual([8, ...ROW_4_2]);
  });

  it('fills each 状态 cell in its colour', async () => {
    const ws = (await read(await ledgerXlsx(viewOf(statusDeps(db.store))))).getWorksheet('台账')!;
    const byTask = new Map<string, ExcelJS.Cell>();
    for (let r = 4; r <= ws.rowCount; r++) byTask.set(String(ws.getCell(r, 3).value).split(' ')[0]!, ws.getCell(r, 8));
    const expectColour = (key: string, light: keyof typeof FILLS, words: string) => {
      const cell = byTask.get(key)!;
      expect(String(cell.value).startsWith(words)).toBe(true);
      expect(fillOf(cell)).toBe(FILLS[light]);
    };
    expectColour('4.2', 'green', '绿灯');
    expectColour('6.2', 'yellow', '黄灯');
    expectColour('6.3', 'yellow', '黄灯');
    expectColour('4.1', 'red', '红灯');
    expectColour('9.1', 'red', '红灯');
    // Every status cell is filled, the colour agreeing with its words.
    for (const cell of byTask.values()) {
      const light = ({ 绿灯: 'green', 黄灯: 'yellow', 红灯: 'red' } as const)[String(cell.value).slice(0, 2) as '绿灯'];
      expect(fillOf(cell)).toBe(FILLS[light]);
    }
  });

  it('lists every report on the 报送记录 sheet', async () => {
    const ws = (await read(await ledgerXlsx(viewOf(statusDeps(db.store))))).getWorksheet('报送记录')!;
    expect(values(ws.getRow(1))).toEqual(['报送时间', '报送周期', '任务', '单位', '状态', '完成比例', '进展', '报送人', '已撤回']);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.rowCount).toBe(1 + REPORTS.length);
    const row = values(ws.getRow(5));
    expect(row.slice(0, 2)).toEqual(['2025-09-26 10:10', '2025年9月']);
    expect(row.slice(3)).toEqual(['区司法局', '推进中', undefined, '清单已报区政府', '李四']);
    expect(ws.getCell('F6').value).toBe(60);
    expect(ws.getCell('F6').numFmt).toBe('0"%"');
  });

  it('neutralises formulas and control characters in report text, and cuts text Excel cannot hold', async () => {
    addReports(db.store, planId, [
      { task: '4.1', unit: '区发展和改革局', cycle: '2025-09', status: 'in_progress', text: "=cmd|' /c calc'!A1\u0007\u0000 已启动\u001b", reporterName: '@赵七', at: '2025-10-15 09:00' },
      { task: '4.1', unit: '区住建局', cycle: '2025-09', status: 'in_progress', text: `-${'长'.repeat(40_000)}`, reporterName: '周八', at: '2025-10-15 09:10' },
    ]);
    const buffer = await ledgerXlsx(viewOf(statusDeps(db.store)));
    const zip = await JSZip.loadAsync(buffer);
    for (const name of Object.keys(zip.files).filter((n) => n.endsWith('.xml'))) {
      // eslint-disable-next-line no-control-regex
      expect(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(await zip.file(name)!.async('string'))).toBe(false);
    }
    const wb = await read(buffer);
    const history = wb.getWorksheet('报送记录')!;
    const injected = history.getRow(history.rowCount - 1);
    expect(injected.getCell(7).value).toBe("'=cmd|' /c calc'!A1 已启动");
    expect(injected.getCell(7).type).toBe(ExcelJS.ValueType.String);
    expect(injected.getCell(8).value).toBe("'@赵七");
    const long = String(history.getRow(history.rowCount).getCell(7).value);
    expect(long.length).toBeLessThanOrEqual(32_767);
    expect(long.startsWith("'-长长")).toBe(true);
    expect(long.endsWith('…（内容过长，以下从略）')).toBe(true);
    const ledger = wb.getWorksheet('台账')!;
    const row = [...Array(ledger.rowCount).keys()].map((i) => ledger.getRow(i + 1)).find((r) => String(r.getCell(3).value).startsWith('4.1 '))!;
    expect(row.getCell(7).value).toBe("推进中，=cmd|' /c calc'!A1 已启动\n区住建局：推进中，-" + '长'.repeat(32_767 - '推进中，=cmd|\' /c calc\'!A1 已启动\n区住建局：推进中，-'.length - 12) + '…（内容过长，以下从略）');
    expect(row.getCell(10).value).toBe("'@赵七");
  });
});
