/**
 * The readable plan tree printed by `duban plan parse` and `duban plan show`:
 * section → item → task → units, with 牵头 marked.
 */
import type { ParsedPlan } from '../plan/types';

export interface DisplayUnit {
  name: string;
  role: 'lead' | 'co';
}

export interface DisplayPlan {
  plan: { title: string; year: number | null; issuer: string | null; date: string | null };
  sections: { number: string; title: string }[];
  items: {
    number: number;
    label: string | null;
    section: string | null;
    title: string;
    tasks: { key: string; text: string; qualifier: string | null; deadline: string | null; units: DisplayUnit[] }[];
  }[];
}

/** The parser's output in the shape the renderer (and the store's tree) share. */
export function displayParsedPlan(p: ParsedPlan): DisplayPlan {
  return {
    plan: { title: p.title, year: p.year, issuer: p.issuer, date: p.date },
    sections: p.sections,
    items: p.items.map((i) => ({
      number: i.number,
      label: i.label,
      section: i.section,
      title: i.title,
      tasks: i.tasks.map((t) => ({
        key: t.id,
        text: t.text,
        qualifier: t.qualifier,
        deadline: t.deadline,
        units: t.units.map((name) => ({ name, role: t.leads.includes(name) ? ('lead' as const) : ('co' as const) })),
      })),
    })),
  };
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

function unitLine(units: DisplayUnit[], qualifier: string | null): string {
  if (units.length === 0) return '责任单位：（未找到）';
  const leads = units.filter((u) => u.role === 'lead').map((u) => u.name);
  const cos = units.filter((u) => u.role === 'co').map((u) => u.name);
  const parts: string[] = [];
  if (leads.length) parts.push(`牵头：${leads.join('、')}`);
  if (cos.length) parts.push(`${leads.length ? '配合' : '责任单位'}：${cos.join('、')}`);
  if (qualifier) parts.push(`（${qualifier}）`);
  return parts.join('\u3000');
}

/** Renders the tree as indented Chinese text; `width` limits how much of each task's text is shown. */
export function renderPlanTree(d: DisplayPlan, width = 60): string {
  const meta = [d.plan.year ? `${d.plan.year}年` : null, d.plan.issuer, d.plan.date].filter(Boolean).join('，');
  const taskCount = d.items.reduce((n, i) => n + i.tasks.length, 0);
  const lines = [`${d.plan.title}${meta ? `（${meta}）` : ''}`, `共 ${d.sections.length} 个部分、${d.items.length} 项事项、${taskCount} 项任务`, ''];
  let section: string | null | undefined;
  for (const item of d.items) {
    if (item.section !== section) {
      section = item.section;
      const s = d.sections.find((x) => x.number === item.section);
      if (s) lines.push(`${s.number}、${s.title}`);
    }
    lines.push(`  ${item.number}. ${item.title}${item.label && item.label !== String(item.number) ? `（原编号 ${item.label}）` : ''}`);
    for (const t of item.tasks) {
      lines.push(`     ${t.key} ${shorten(t.text, width)}`);
      lines.push(`         ${unitLine(t.units, t.qualifier)}${t.deadline ? `\u3000完成时限：${t.deadline}` : ''}`);
    }
  }
  return lines.join('\n');
}
