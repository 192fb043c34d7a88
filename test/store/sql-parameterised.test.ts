import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { countPrepares, scanSource, type SqlFinding } from '../helpers/sql-scan';
import { ROOT } from '../helpers/run-cli';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/**
 * SQL the scan cannot prove fixed, each with why it is safe. A new entry needs as good a reason: values from
 * users, messages or files are always bound as parameters (`?`, `@name`).
 */
const ALLOWED: { file: string; text: string; reason: string }[] = [
  {
    file: 'src/store/migrations.ts',
    text: 'm.up',
    reason: 'a migration\'s SQL: every `up` in MIGRATIONS is a literal, checked by the test below',
  },
  {
    file: 'src/store/migrations.ts',
    text: 'm.version',
    reason: 'PRAGMA user_version cannot take a parameter; the version is a number literal of MIGRATIONS (checked below)',
  },
  {
    file: 'src/store/plan-queries.ts',
    text: 'sqlText(UNNORMALISED_UNIT_NAME_GLOB)',
    reason: 'a program constant quoted by sqlText, written in so that SQLite can use the partial index whose WHERE is the same GLOB',
  },
  {
    file: 'src/store/report-store.ts',
    text: 'DONE',
    reason: "a number: the index of 'done' in the constant REPORT_STATUSES list",
  },
];

describe('every SQL statement is parameterised', () => {
  const files = sourceFiles(path.join(ROOT, 'src'));
  const sources = files.map((f) => ({ file: path.relative(ROOT, f), text: fs.readFileSync(f, 'utf8') }));
  const findings: SqlFinding[] = sources.flatMap((s) => scanSource(s.file, s.text));

  it('finds no SQL in src/ built from anything but literals and literal constants (apart from the listed ones)', () => {
    const unexplained = findings.filter((f) => !ALLOWED.some((a) => a.file === f.file && a.text === f.text));
    expect(unexplained).toEqual([]);
  });

  it('lists no allowance that is not needed any more', () => {
    const stale = ALLOWED.filter((a) => !findings.some((f) => f.file === a.file && f.text === a.text));
    expect(stale).toEqual([]);
  });

  it('sees the statements (all of them in src/store/)', () => {
    const prepares = sources.map((s) => ({ file: s.file, n: countPrepares(s.text) })).filter((s) => s.n > 0);
    expect(prepares.reduce((sum, s) => sum + s.n, 0)).toBeGreaterThan(50);
    expect(prepares.map((s) => s.file).filter((f) => !f.startsWith(`src${path.sep}store${path.sep}`))).toEqual([]);
  });

  it('checks that every migration is literal SQL with a literal version', () => {
    const sf = ts.createSourceFile('migrations.ts', fs.readFileSync(path.join(ROOT, 'src/store/migrations.ts'), 'utf8'), ts.ScriptTarget.Latest, true);
    const props: ts.PropertyAssignment[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && ['up', 'version'].includes(node.name.text)) props.push(node);
      ts.forEachChild(node, visit);
    };
    visit(sf);
    expect(props.length).toBeGreaterThanOrEqual(8);
    for (const p of props) {
      const literal = ts.isNoSubstitutionTemplateLiteral(p.initializer) || ts.isStringLiteral(p.initializer) || ts.isNumericLiteral(p.initializer);
      expect({ line: sf.getLineAndCharacterOfPosition(p.getStart()).line + 1, literal }).toEqual({ line: expect.any(Number), literal: true });
    }
  });
});

describe('the SQL scanner', () => {
  const scan = (source: string) => scanSource('planted.ts', source).map((f) => ({ text: f.text, reason: f.reason }));

  it('flags a prepared statement that interpolates a variable', () => {
    expect(scan('function f(db, name) { return db.prepare(`SELECT * FROM units WHERE name = \'${name}\'`); }')).toEqual([
      { text: 'name', reason: 'interpolates something other than a module-level literal constant' },
    ]);
  });

  it('flags concatenation, a variable as the statement, and SQL built outside a call', () => {
    expect(scan("function f(db, id) { return db.prepare('SELECT * FROM reports WHERE id = ' + id); }")).toHaveLength(1);
    expect(scan('function f(db, sql) { db.exec(sql); }')).toEqual([{ text: 'sql', reason: 'SQL that is not a literal' }]);
    expect(scan('function f(u) { const q = `DELETE FROM units WHERE name = ${u}`; return q; }')).toHaveLength(1);
    expect(scan('function f(db, t) { db.pragma(`table_info(${t})`); }')).toHaveLength(1);
    // A constant that is not module-level, or whose value is computed, is not enough.
    expect(scan('function f(db) { const C = `id, name`; return db.prepare(`SELECT ${C} FROM units`); }')).toHaveLength(1);
    expect(scan('const C = names.join(","); function f(db) { return db.prepare(`SELECT ${C} FROM units`); }')).toHaveLength(1);
  });

  it('accepts literals, bound parameters and module-level literal constants, and ignores RegExp.exec', () => {
    const ok = [
      "function f(db) { return db.prepare('SELECT id FROM units WHERE name = ?'); }",
      'const COLUMNS = `id, name`; const SPAN = 1024; function f(db) { return db.prepare(`SELECT ${COLUMNS}, id * ${SPAN} FROM units WHERE name = @name`); }',
      "function f(text) { return /(\\d+)/.exec(text) ?? PATTERN.exec(text); }",
      'function f(n) { return `第${n}项 FROM 区司法局`.length + `已收到 ${n} 条`; }',
    ];
    for (const source of ok) expect(scan(source)).toEqual([]);
  });
});
