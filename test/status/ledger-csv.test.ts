/** The 台账 as CSV, read back with a CSV parser: UTF-8 with BOM, RFC 4180 quoting, formulas guarded. */
import { parse } from 'csv-parse/sync';
import { ledgerCsv } from '../../src/status/ledger-csv';
import { useTempStore } from '../store/temp-db';
import { addReports, loadSeedWithDeadlines, REPORTS, ROW_4_2, statusDeps, viewOf } from './ledger-fixture';

describe('the 台账 as CSV', () => {
  const db = useTempStore('duban-csv-');
  let planId = 0;

  beforeEach(async () => {
    planId = await loadSeedWithDeadlines(db.store);
    addReports(db.store, planId, REPORTS);
  });

  it('starts with a BOM, ends lines with CRLF, and reads back as the header and one record per task', () => {
    const csv = ledgerCsv(viewOf(statusDeps(db.store)));
    expect(csv.startsWith('\uFEFF序号,工作要点,具体任务,牵头单位,配合单位,完成时限,本期进展,状态,报送时间,报送人\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const records = parse(csv, { bom: true }) as string[][];
    expect(records).toHaveLength(1 + 20);
    expect(records.find((r) => r[2]!.startsWith('4.2 '))).toEqual(['8', ...ROW_4_2]);
    // The task's text has a comma: quoted, not split.
    expect(csv).toContain(',"4.2 落实外商投资企业准入前国民待遇加负面清单管理制度,推进常态化');
  });

  it('guards cells that Excel would read as a formula and doubles quotes', () => {
    addReports(db.store, planId, [
      { task: '4.1', unit: '区发展和改革局', cycle: '2025-09', status: 'in_progress', text: '按“三张清单”推进', reporterName: '=HYPERLINK("http://x")', at: '2025-10-15 09:00' },
    ]);
    const csv = ledgerCsv(viewOf(statusDeps(db.store)));
    const row = (parse(csv, { bom: true }) as string[][]).find((r) => r[2]!.startsWith('4.1 '))!;
    expect(row[6]).toBe('推进中，按“三张清单”推进\n区住建局：未报送');
    expect(row[9]).toBe('\'=HYPERLINK("http://x")');
    expect(csv).toContain(',"\'=HYPERLINK(""http://x"")"\r\n');
  });
});
