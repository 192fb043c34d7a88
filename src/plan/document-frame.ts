/**
 * The frame around a plan: page chrome of web copies, the covering notice (主送机关, 正文, 落款, 成文日期)
 * and the title. The plan body starts after the notice; the notice's own `一、二、三、` paragraphs
 * are not sections of the plan.
 */
import { parseChineseNumber } from './numbering';

export interface DocumentFrame {
  title: string | null;
  issuer: string | null;
  date: string | null;
  /** Index of the first line of the plan body. */
  bodyStart: number;
}

const CHROME_RE =
  /^(朗读|全文|附件|打印|关闭|打印本页|关闭窗口|字号:.*|【字体.*|分享到.*|\(此件公开发布\)|\(此件主动公开\)|\(联系人.*\)|\(共\d+项\))$|位置:|当前位置|首页\s*>|发布日期:|点击率|索引号|发布机构|生成日期|公开方式|公开范围|文\s*号/;

/** True for lines of web-page chrome and document furniture that carry no plan content. */
export function isChrome(line: string): boolean {
  return CHROME_RE.test(line);
}

const DATE_RE = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/;
const CN_DATE_RE = /^([〇○零Ｏ0一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$/;
const CN_YEAR_DIGITS: Record<string, string> = {
  〇: '0', '○': '0', 零: '0', Ｏ: '0', '0': '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9',
};

/** `2020年11月11日` or `二0一0年五月十三日` as `YYYY-MM-DD`; null when the line is not a date. */
export function parseDateLine(line: string): string | null {
  const t = line.replace(/\s+/g, '');
  let y: number;
  let m: number;
  let d: number;
  const a = DATE_RE.exec(t);
  if (a) {
    y = Number(a[1]);
    m = Number(a[2]);
    d = Number(a[3]);
  } else {
    const b = CN_DATE_RE.exec(t);
    if (!b) return null;
    y = Number([...(b[1] ?? '')].map((c) => CN_YEAR_DIGITS[c] ?? 'x').join(''));
    m = parseChineseNumber(b[2] ?? '');
    d = parseChineseNumber(b[3] ?? '');
  }
  if (!Number.isFinite(y) || !(m >= 1 && m <= 12) || !(d >= 1 && d <= 31)) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function looksLikeIssuer(line: string): boolean {
  return line.length <= 40 && !/[。,:]/.test(line) && /(办公室|办公厅|政府|委员会|局|厅|委|办)$/.test(line);
}

function issuerAboveNotice(head: string[]): string | null {
  const ls = head.map((l) => l.replace(/\s+/g, '')).filter(Boolean);
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i] ?? '';
    const inline = /^(.+?)关于/.exec(l);
    if (inline && looksLikeIssuer(inline[1] ?? '')) return inline[1] ?? null;
    if (looksLikeIssuer(l) && /^关于/.test(ls[i + 1] ?? '')) return l;
  }
  return null;
}

/** 主送机关: `各镇人民政府、街道办事处,…,区政府各部门:` */
function isAddressee(line: string): boolean {
  return /:$/.test(line) && line.length <= 150 && /各|部门|单位|政府|管委会|直属/.test(line) && !/^[一二三四五六七八九十]+、/.test(line);
}

const TITLE_WORDS = /要点|方案|计划|安排|分解|任务|清单|意见|办法|完成情况|实施细则/;

function isTitleCandidate(line: string): boolean {
  const t = line.replace(/\s+/g, '');
  if (t.length < 6 || t.length > 80) return false;
  if (/[:。>|]/.test(t) || /^[一二三四五六七八九十]+、|^\(|^\d/.test(t) && !/^\d{4}年/.test(t)) return false;
  if (isChrome(t) || parseDateLine(t)) return false;
  return TITLE_WORDS.test(t);
}

/**
 * Finds where the plan body starts, and its title, issuer and date. `structural` tells whether a line
 * is part of the plan's structure (a heading or a table), which ends the search for a title.
 */
export function findFrame(lines: string[], structural: (line: string) => boolean): DocumentFrame {
  let bodyStart = 0;
  let issuer: string | null = null;
  let date: string | null = null;
  const addressee = lines.slice(0, 40).findIndex((l) => isAddressee(l));
  if (addressee >= 0) {
    for (let i = addressee + 1; i < Math.min(lines.length, addressee + 60); i++) {
      const d = parseDateLine(lines[i] ?? '');
      if (d) {
        date = d;
        bodyStart = i + 1;
        for (let k = i - 1; k > addressee; k--) {
          const prev = (lines[k] ?? '').trim();
          if (!prev) continue;
          if (looksLikeIssuer(prev)) issuer = prev;
          break;
        }
        break;
      }
    }
  }
  // No signature under the notice (some web copies drop it): the issuer heads the notice's own
  // title, `西平县人民政府办公室` / `关于印发…的通知` or `XX办公厅关于印发…的通知` on one line.
  if (!issuer && addressee > 0) issuer = issuerAboveNotice(lines.slice(0, addressee));
  let title: string | null = null;
  for (let i = bodyStart; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (structural(l)) break;
    if (isTitleCandidate(l)) {
      title = l.replace(/\s+/g, '');
      break;
    }
  }
  if (!title && addressee >= 0) {
    const notice = lines.slice(addressee, bodyStart).join('');
    const quoted = /《([^《》]*(?:《[^《》]*》[^《》]*)*)》/.exec(notice);
    if (quoted && TITLE_WORDS.test(quoted[1] ?? '')) title = quoted[1] ?? null;
  }
  if (!title) {
    // A title above the notice (`关于印发…的通知`): take the plan's name out of it.
    for (const l of lines.slice(0, Math.max(addressee, 0))) {
      const m = /关于印发(.+)的通知/.exec(l.replace(/\s+/g, ''));
      if (m && m[1]) {
        title = m[1];
        break;
      }
    }
  }
  return { title, issuer, date, bodyStart };
}
