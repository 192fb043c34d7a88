/**
 * Finds SQL that is not a fixed text, with the TypeScript compiler API: every argument of `.prepare(`,
 * `.pragma(` and a database's `.exec(`, and every template literal or `+` concatenation whose text looks like SQL.
 * SQL may interpolate only module-level constants whose value is itself a literal (a string, a number, or a
 * template without substitutions, such as a COLUMNS list); anything else is a finding.
 */
import * as ts from 'typescript';

export interface SqlFinding {
  file: string;
  line: number;
  /** The offending expression's source text (the interpolated part, or the whole argument). */
  text: string;
  reason: string;
}

/** Upper-case SQL words as statements use them (messages and comments in Chinese or English prose do not). */
const SQL_LIKE = /\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE (TABLE|INDEX|TRIGGER|VIEW)|DROP|ALTER TABLE|PRAGMA|FROM \w+|WHERE|JOIN|VALUES)\b/;
const DB_METHODS = new Set(['prepare', 'pragma', 'exec']);
/** `.exec(` of a database (better-sqlite3), not of a RegExp: the receiver is named like one. */
const DB_RECEIVER = /(^|\.)(db|database|sqlite|conn)$/i;

function isLiteral(node: ts.Expression): boolean {
  return ts.isStringLiteral(node) || ts.isNumericLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
}

/** The static text of an expression that builds a string (for the SQL test). */
function staticText(node: ts.Node): string {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return `${staticText(node.left)} ${staticText(node.right)}`;
  if (ts.isParenthesizedExpression(node)) return staticText(node.expression);
  return '';
}

export function scanSource(file: string, source: string): SqlFinding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  // Module-level `const NAME = <literal>`: the only names SQL may interpolate.
  const literalConsts = new Set<string>();
  for (const statement of sf.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of statement.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.initializer && isLiteral(d.initializer)) literalConsts.add(d.name.text);
    }
  }
  const findings: SqlFinding[] = [];
  const seen = new Set<ts.Node>();
  const report = (node: ts.Node, reason: string) => {
    if (seen.has(node)) return;
    seen.add(node);
    findings.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: node.getText(sf), reason });
  };
  const safeName = (e: ts.Expression) => ts.isIdentifier(e) && literalConsts.has(e.text);

  /** Checks an expression that is (or builds) SQL. */
  const checkSql = (node: ts.Expression): void => {
    if (isLiteral(node)) return;
    if (ts.isParenthesizedExpression(node)) return checkSql(node.expression);
    if (ts.isTemplateExpression(node)) {
      for (const span of node.templateSpans) {
        if (!safeName(span.expression)) report(span.expression, 'interpolates something other than a module-level literal constant');
      }
      return;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      return report(node, 'builds SQL by concatenation with +');
    }
    if (safeName(node)) return;
    report(node, 'SQL that is not a literal');
  };

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && DB_METHODS.has(node.expression.name.text)) {
      const method = node.expression.name.text;
      const arg = node.arguments[0];
      const receiver = node.expression.expression.getText(sf);
      const dbCall = method !== 'exec' || DB_RECEIVER.test(receiver) || (arg !== undefined && SQL_LIKE.test(staticText(arg)));
      if (dbCall && arg) checkSql(arg);
    }
    if (ts.isTemplateExpression(node) && SQL_LIKE.test(staticText(node))) checkSql(node);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken && SQL_LIKE.test(staticText(node))) {
      // Report the outermost concatenation once.
      if (!(ts.isBinaryExpression(node.parent) && node.parent.operatorToken.kind === ts.SyntaxKind.PlusToken)) checkSql(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return findings;
}

/** How many SQL statements a source hands to `.prepare(` (to prove the scan sees them). */
export function countPrepares(source: string): number {
  const sf = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let n = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'prepare') n++;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return n;
}
