/**
 * The plan structure (工作要点) as the parser produces it and as `duban plan parse --json` prints it.
 * The shape is the contract in DESIGN.md; extra fields are additive.
 */

/** 部分: a Chinese-numbered heading such as `一、依法全面履行政府职能`. */
export interface PlanSection {
  /** Chinese numeral as written: `一`, `二`, … */
  number: string;
  title: string;
}

/** 任务: one run of sentences that ends with a responsibility annotation. */
export interface PlanTask {
  /** `ITEM.SEQ`, e.g. `4.2`. */
  id: string;
  text: string;
  /** Every responsible unit in written order, leads included (brackets normalised to half-width). */
  units: string[];
  /** Lead units (牵头); empty when the text gives no lead. */
  leads: string[];
  /** Trailing words such as `按职责分工落实`, kept apart from the units; null when absent. */
  qualifier: string | null;
  /** Deadline written in the text or a deadline column, as `YYYY-MM-DD`; null when absent. */
  deadline: string | null;
}

/** 事项: a numbered entry. */
export interface PlanItem {
  /** The number used in chat (`第4项`); unique within the plan. */
  number: number;
  /** The numbering as written when it differs from `number` (`1*`, `(一)`), else null. */
  label: string | null;
  /** Number of the section the item belongs to, or null when the plan has no sections. */
  section: string | null;
  /** The first sentence, up to the first `。`. */
  title: string;
  tasks: PlanTask[];
}

export interface ParsedPlan {
  title: string;
  /** Year the plan is for (from the title or the issuing date), or null. */
  year: number | null;
  /** 发文机关 as signed under the covering notice, or null. */
  issuer: string | null;
  /** 成文日期 of the covering notice as `YYYY-MM-DD`, or null. */
  date: string | null;
  sections: PlanSection[];
  items: PlanItem[];
  /** Human-readable Chinese warnings (items without units, renumbered items, …). */
  warnings: string[];
}
