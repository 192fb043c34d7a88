/**
 * The units directory (单位目录): which responsible units exist, which names are collectives (集合单位)
 * that expand to member units, and which spellings are aliases (别名) of a canonical name.
 * It is read from a YAML file written by hand by admins (data/units.yaml; the format is documented in
 * comments at the top of that file).
 */
import { normalizeUnitName } from '../plan/normalize';
import { readFileSync } from 'node:fs';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type YAMLError,
} from 'yaml';

export const DEFAULT_UNITS_FILE = 'data/units.yaml';

/** Section keys of the YAML file. */
export const UNITS_KEY = '单位';
export const COLLECTIVES_KEY = '集合单位';
export const ALIASES_KEY = '别名';
const SECTION_KEYS = [UNITS_KEY, COLLECTIVES_KEY, ALIASES_KEY];

export class UnitDirectoryError extends Error {
  readonly file: string;
  /** 1-based line of the problem in the file, or null when unknown. */
  readonly line: number | null;

  constructor(file: string, line: number | null, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnitDirectoryError';
    this.file = file;
    this.line = line;
  }
}

/** Unit names compare after the plan parser's own normalisation (half-width brackets, no spaces). */
export { normalizeUnitName };

export interface UnitDirectory {
  /** The file the directory was loaded from. */
  readonly file: string;
  /** True when the file does not exist (the directory is then empty). */
  readonly missing: boolean;
  /** Alias → canonical name; any other name → its normalised self. */
  canonical(name: string): string;
  /** True for a canonical unit, an alias, a collective or a collective member. */
  isKnown(name: string): boolean;
  /** True when the name (or its alias) is a collective. */
  isCollective(name: string): boolean;
  /** A collective → its member units (canonical names, file order); otherwise `[canonical(name)]`. */
  expand(name: string): string[];
  /** Every known single unit (not collectives), canonical names, in order of first appearance in the file. */
  allUnits(): string[];
  /** Every collective name, in file order. */
  collectiveNames(): string[];
  /** Every alias with its canonical name. */
  aliasEntries(): [alias: string, canonical: string][];
  /**
   * The names in normal form that `expand` turns into a list holding `unit`: the unit itself, its aliases, the
   * collectives it belongs to and their aliases (for finding a unit's assignments as the plans write them).
   */
  namesFor(unit: string): string[];
}

class Directory implements UnitDirectory {
  constructor(
    readonly file: string,
    readonly missing: boolean,
    private readonly units: readonly string[],
    private readonly collectives: ReadonlyMap<string, readonly string[]>,
    private readonly aliases: ReadonlyMap<string, string>,
  ) {
    this.unitSet = new Set(units);
  }

  private readonly unitSet: ReadonlySet<string>;

  canonical(name: string): string {
    const normalised = normalizeUnitName(name);
    return this.aliases.get(normalised) ?? normalised;
  }

  isKnown(name: string): boolean {
    const canonical = this.canonical(name);
    return this.unitSet.has(canonical) || this.collectives.has(canonical);
  }

  isCollective(name: string): boolean {
    return this.collectives.has(this.canonical(name));
  }

  expand(name: string): string[] {
    const canonical = this.canonical(name);
    const members = this.collectives.get(canonical);
    return members ? [...members] : [canonical];
  }

  allUnits(): string[] {
    return [...this.units];
  }

  collectiveNames(): string[] {
    return [...this.collectives.keys()];
  }

  aliasEntries(): [string, string][] {
    return [...this.aliases];
  }

  namesFor(unit: string): string[] {
    const out = new Set([unit]);
    for (const [name, members] of this.collectives) if (members.includes(unit)) out.add(name);
    for (const [alias, canonical] of this.aliases) if (out.has(canonical)) out.add(alias);
    return [...out].filter((name) => this.expand(name).includes(unit));
  }
}

/** A directory that knows no units; `canonical` only normalises. */
export function emptyUnitDirectory(file: string = DEFAULT_UNITS_FILE, missing = false): UnitDirectory {
  return new Directory(file, missing, [], new Map(), new Map());
}

const FIX_HINT = '请按文件开头注释中的格式修改后再试。';
const FULL_WIDTH_COLON_HINT = '请注意冒号要用半角“:”，不要用全角“：”，冒号后面要有空格。';

function describeYamlError(error: YAMLError): string {
  switch (error.code) {
    case 'DUPLICATE_KEY':
      return '同一个名称作为键写了两次，请合并为一项';
    case 'TAB_AS_INDENT':
      return '使用了 Tab 缩进，请改用空格缩进';
    case 'BAD_INDENT':
      return '缩进不正确，同一层的项目要对齐';
    case 'MISSING_CHAR':
      return '缺少符号（例如冒号、右方括号或引号）';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return '名称后面缺少冒号，或缩进不对';
    case 'BAD_SCALAR_START':
      return '有一项以特殊符号开头，请给这个名称加上引号';
    case 'UNEXPECTED_TOKEN':
      return '有无法识别的内容';
    case 'MULTIPLE_DOCS':
      return '文件中只能有一个文档，请删除多余的“---”';
    default:
      return `YAML 格式错误（${error.code}）`;
  }
}

/** Builds a directory from YAML text. `file` is used in error messages only. */
export function parseUnitDirectory(source: string, file: string = DEFAULT_UNITS_FILE): UnitDirectory {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const lineAt = (offset: number | undefined): number | null =>
    offset === undefined ? null : lineCounter.linePos(offset).line || 1;
  const fail = (offset: number | undefined, problem: string, hint = FIX_HINT): never => {
    const line = lineAt(offset);
    const where = line === null ? '' : ` 第 ${line} 行`;
    // A full-width colon turns `单位：` into plain text, whatever the error then looks like: say so.
    const lineText = line === null ? '' : (source.split(/\r?\n/)[line - 1] ?? '');
    const fix = lineText.includes('：') ? FULL_WIDTH_COLON_HINT : hint;
    throw new UnitDirectoryError(file, line, `单位目录 ${file}${where}：${problem}。${fix}`);
  };

  const [firstError] = doc.errors;
  if (firstError) {
    const line = lineAt(firstError.pos[0]);
    const lineText = line === null ? '' : (source.split(/\r?\n/)[line - 1] ?? '');
    const hint = lineText.includes('：') ? FULL_WIDTH_COLON_HINT : FIX_HINT;
    const where = line === null ? '' : ` 第 ${line} 行`;
    throw new UnitDirectoryError(file, line, `单位目录 ${file}${where}：${describeYamlError(firstError)}。${hint}`, {
      cause: firstError,
    });
  }

  return new Builder(doc, fail).build(file);
}

type Fail = (offset: number | undefined, problem: string, hint?: string) => never;

interface Named {
  name: string;
  offset: number | undefined;
}

class Builder {
  private readonly aliases = new Map<string, { canonical: string; offset: number | undefined }>();
  /** Canonical alias keys. */
  private readonly aliasKeys: Named[] = [];
  private readonly collectives = new Map<string, { members: Named[]; offset: number | undefined }>();
  private readonly plainUnits: Named[] = [];

  constructor(
    private readonly doc: Document,
    private readonly fail: Fail,
  ) {}

  build(file: string): UnitDirectory {
    const root = this.resolve(this.doc.contents);
    if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
      return emptyUnitDirectory(file);
    }
    if (!isMap(root)) {
      this.fail(root.range?.[0], `文件的最外层应当是“${SECTION_KEYS.join(':”“')}:”这几个部分`);
    }
    const sections = new Map<string, YamlNode | null>();
    for (const pair of root.items) {
      const keyNode = pair.key as YamlNode | null;
      const key = isScalar(keyNode) ? String(keyNode.value).trim() : '';
      if (!SECTION_KEYS.includes(key)) {
        this.fail(
          keyNode?.range?.[0],
          `不认识的部分“${key}”，只能是“${SECTION_KEYS.join('”“')}”`,
          '请检查是否写错了字。',
        );
      }
      sections.set(key, this.resolve(pair.value as YamlNode | null));
    }

    this.readAliases(sections.get(ALIASES_KEY) ?? null);
    this.readCollectives(sections.get(COLLECTIVES_KEY) ?? null);
    this.readPlainUnits(sections.get(UNITS_KEY) ?? null);
    return this.assemble(file);
  }

  private resolve(node: unknown): YamlNode | null {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return (node.resolve(this.doc) as YamlNode | undefined) ?? null;
    return node as YamlNode;
  }

  private nameOf(node: unknown, what: string): Named {
    const resolved = this.resolve(node);
    if (!isScalar(resolved) || resolved.value === null || typeof resolved.value === 'object') {
      this.fail(
        (resolved ?? undefined)?.range?.[0],
        `${what}应当是一个名称`,
        '请检查缩进，或给名称加上引号后再试。',
      );
    }
    const name = normalizeUnitName(String(resolved.value));
    if (name === '') this.fail(resolved.range?.[0], `${what}是空的`);
    return { name, offset: resolved.range?.[0] };
  }

  /** A list of names; a single scalar may hold several names separated by `、` or commas. */
  private namesOf(node: YamlNode | null, what: string): Named[] {
    if (node === null) return [];
    if (isSeq(node)) return node.items.map((item) => this.nameOf(item, what));
    if (isScalar(node)) {
      if (node.value === null) return [];
      const offset = node.range?.[0];
      return String(node.value)
        .split(/[、,，]/)
        .map((part) => normalizeUnitName(part))
        .filter((name) => name !== '')
        .map((name) => ({ name, offset }));
    }
    return this.fail(node.range?.[0], `${what}应当是名称列表，例如 [名称一, 名称二]`);
  }

  private pairsOf(node: YamlNode | null, section: string): { key: Named; value: YamlNode | null }[] {
    if (node === null) return [];
    if (isScalar(node) && node.value === null) return [];
    if (!isMap(node)) {
      return this.fail(node.range?.[0], `“${section}”下面应当是“名称: [列表]”的形式`);
    }
    return node.items.map((pair) => ({
      key: this.nameOf(pair.key, `“${section}”中的名称`),
      value: this.resolve(pair.value),
    }));
  }

  private readAliases(node: YamlNode | null): void {
    const pairs = this.pairsOf(node, ALIASES_KEY);
    for (const { key, value } of pairs) {
      this.aliasKeys.push(key);
      for (const alias of this.namesOf(value, `“${key.name}”的别名`)) {
        if (alias.name === key.name) continue;
        const previous = this.aliases.get(alias.name);
        if (previous && previous.canonical !== key.name) {
          this.fail(
            alias.offset,
            `别名“${alias.name}”同时属于“${previous.canonical}”和“${key.name}”`,
            '一个别名只能对应一个单位，请删除其中一处。',
          );
        }
        this.aliases.set(alias.name, { canonical: key.name, offset: alias.offset });
      }
    }
    for (const key of this.aliasKeys) {
      const owner = this.aliases.get(key.name);
      if (owner) {
        this.fail(
          key.offset,
          `“${key.name}”已被写作“${owner.canonical}”的别名，不能再作为规范名称`,
          '请只保留一种写法。',
        );
      }
    }
  }

  private canonical(name: string): string {
    return this.aliases.get(name)?.canonical ?? name;
  }

  private readCollectives(node: YamlNode | null): void {
    for (const { key, value } of this.pairsOf(node, COLLECTIVES_KEY)) {
      const alias = this.aliases.get(key.name);
      if (alias) {
        this.fail(
          key.offset,
          `集合单位“${key.name}”已被写作“${alias.canonical}”的别名`,
          '请在“别名”中删除它，或改用规范名称。',
        );
      }
      const members = this.namesOf(value, `集合单位“${key.name}”的成员`).map((m) => ({
        name: this.canonical(m.name),
        offset: m.offset,
      }));
      if (members.length === 0) {
        this.fail(key.offset, `集合单位“${key.name}”没有列出任何成员单位`, '请在它下面逐行列出成员单位（以“- ”开头）。');
      }
      for (const member of members) {
        if (member.name === key.name) this.fail(member.offset, `集合单位“${key.name}”不能包含它自己`);
      }
      this.collectives.set(key.name, { members, offset: key.offset });
    }
  }

  private readPlainUnits(node: YamlNode | null): void {
    for (const unit of this.namesOf(node, '单位')) {
      const name = this.canonical(unit.name);
      if (this.collectives.has(name)) {
        this.fail(unit.offset, `“${name}”已是集合单位，不能同时列为单个单位`, '请从“单位”中删除它。');
      }
      this.plainUnits.push({ name, offset: unit.offset });
    }
  }

  /** Flattens nested collectives, detecting cycles. */
  private expandCollective(name: string, trail: string[]): string[] {
    const entry = this.collectives.get(name);
    if (!entry) return [name];
    if (trail.includes(name)) {
      this.fail(entry.offset, `集合单位之间循环包含：${[...trail, name].join(' → ')}`, '请删除其中一处包含关系。');
    }
    const result: string[] = [];
    for (const member of entry.members) {
      for (const unit of this.expandCollective(member.name, [...trail, name])) {
        if (!result.includes(unit)) result.push(unit);
      }
    }
    return result;
  }

  private assemble(file: string): UnitDirectory {
    const collectives = new Map<string, string[]>();
    for (const name of this.collectives.keys()) collectives.set(name, this.expandCollective(name, []));

    const candidates: Named[] = [
      ...this.plainUnits,
      ...[...this.collectives.values()].flatMap((entry) => entry.members),
      ...this.aliasKeys,
    ].filter((unit) => !collectives.has(unit.name));
    candidates.sort((a, b) => (a.offset ?? Infinity) - (b.offset ?? Infinity));
    const units: string[] = [];
    const seen = new Set<string>();
    for (const unit of candidates) {
      if (seen.has(unit.name)) continue;
      seen.add(unit.name);
      units.push(unit.name);
    }

    const aliases = new Map<string, string>();
    for (const [alias, { canonical }] of this.aliases) aliases.set(alias, canonical);
    return new Directory(file, false, units, collectives, aliases);
  }
}

/**
 * Loads the units directory from a YAML file. A missing file gives an empty directory with `missing: true`.
 * @throws UnitDirectoryError (Chinese message naming the file, the line when known, and the problem).
 */
export function loadUnitDirectory(file: string = DEFAULT_UNITS_FILE): UnitDirectory {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return emptyUnitDirectory(file, true);
    throw new UnitDirectoryError(
      file,
      null,
      `单位目录 ${file}：无法打开文件（${code === 'EISDIR' ? '这是一个文件夹' : (code ?? '未知错误')}）。请检查路径和文件权限后再试。`,
      { cause: error },
    );
  }
  return parseUnitDirectory(source.replace(/^\ufeff/, ''), file);
}
