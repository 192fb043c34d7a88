/**
 * Checks the contact book against the units of the plan: which units would get no reminder, which
 * contacts serve no unit of the plan. Pure: no I/O.
 */
import type { UnitDirectory } from '../units/unit-directory';
import { ROLE_LABELS, type Contact } from './contact';
import type { ContactBook } from './contacts-file';
import type { ContactProblem } from './parse-contacts';

export interface ContactCheck {
  /** The concrete units of the plan (collectives expanded, canonical names), in plan order. */
  planUnits: string[];
  /** Concrete plan units without any 联络员 (a 分管领导 alone does not count): they would get no reminder. */
  unitsWithoutLiaison: string[];
  /** Contacts whose unit is not one of the concrete plan units, in file order. */
  contactsOutsidePlan: Contact[];
  /** Rows of the file that were not read. */
  problems: ContactProblem[];
  /**
   * Liaisons of plan units without a 钉钉ID, when the channel reaches people by id only (the app robot, 浙政钉):
   * they would get no reminder. Empty otherwise.
   */
  liaisonsWithoutId: Contact[];
  /** The label of that channel, or null when the channel also reaches people by mobile. */
  idOnlyChannel: string | null;
  counts: {
    contacts: number;
    liaisons: number;
    leaders: number;
    planUnits: number;
    unitsWithLiaison: number;
  };
  /** True when there is nothing to report. */
  clean: boolean;
}

/**
 * The concrete units behind the plan's unit names (as written, collectives included): each collective is
 * replaced by its members, every name canonicalised, duplicates dropped, first appearance kept.
 */
export function concretePlanUnits(planUnits: readonly string[], directory: UnitDirectory): string[] {
  const units = planUnits.filter((name) => name.trim() !== '').flatMap((name) => directory.expand(name));
  return [...new Set(units)];
}

/**
 * Compares the contact book with the units named in the plan. `idOnlyChannel` is the label of the reminder channel
 * when it can reach people by 钉钉ID only (not by mobile).
 */
export function checkContacts(
  planUnits: readonly string[],
  book: ContactBook,
  directory: UnitDirectory,
  idOnlyChannel: string | null = null,
): ContactCheck {
  const units = concretePlanUnits(planUnits, directory);
  const inPlan = new Set(units);
  const unitOf = (c: Contact): string => directory.canonical(c.unit);
  const liaisons = book.contacts.filter((c) => c.role === 'liaison');
  const covered = new Set(liaisons.map(unitOf));

  const unitsWithoutLiaison = units.filter((unit) => !covered.has(unit));
  const contactsOutsidePlan = book.contacts.filter((c) => !inPlan.has(unitOf(c)));
  const problems = [...book.problems];
  const liaisonsWithoutId = idOnlyChannel ? liaisons.filter((c) => c.dingtalkId === null && inPlan.has(unitOf(c))) : [];
  return {
    planUnits: units,
    unitsWithoutLiaison,
    contactsOutsidePlan,
    problems,
    liaisonsWithoutId,
    idOnlyChannel,
    counts: {
      contacts: book.contacts.length,
      liaisons: liaisons.length,
      leaders: book.contacts.length - liaisons.length,
      planUnits: units.length,
      unitsWithLiaison: units.length - unitsWithoutLiaison.length,
    },
    clean:
      unitsWithoutLiaison.length === 0 &&
      contactsOutsidePlan.length === 0 &&
      problems.length === 0 &&
      liaisonsWithoutId.length === 0,
  };
}

function describeOutside(contact: Contact, directory: UnitDirectory): string {
  const role = ROLE_LABELS[contact.role];
  const unknown = directory.isKnown(contact.unit) ? '' : '；单位目录中也没有这个单位，请检查是否写错';
  return `  第 ${contact.line} 行：${contact.unitAsWritten} ${contact.name}（${role}）${unknown}`;
}

/**
 * The Chinese report of `duban contacts check`, one line per entry. It ends with `联络员名单没有问题。` when
 * the check is clean.
 */
export function describeContactCheck(check: ContactCheck, file: string, directory: UnitDirectory): string[] {
  const { counts } = check;
  const out = [
    `联络员名单 ${file}：共 ${counts.contacts} 人（联络员 ${counts.liaisons} 人，分管领导 ${counts.leaders} 人）。`,
    `计划中有 ${counts.planUnits} 个需要报送的单位（集合单位已展开为成员单位），其中 ${counts.unitsWithLiaison} 个已有联络员。`,
  ];
  // Unread rows first: a wrong header, say, is why every unit below is listed as having no liaison.
  if (check.problems.length > 0) {
    out.push(`名单中有 ${check.problems.length} 处错误，出错的行没有读入，请修改：`);
    out.push(...check.problems.map((p) => `  第 ${p.line} 行：${p.reason}`));
  }
  if (check.unitsWithoutLiaison.length > 0) {
    out.push(`以下 ${check.unitsWithoutLiaison.length} 个单位没有联络员，将收不到提醒，请在名单中为每个单位登记至少一名联络员：`);
    out.push(...check.unitsWithoutLiaison.map((unit) => `  - ${unit}`));
  }
  if (check.contactsOutsidePlan.length > 0) {
    out.push(`以下 ${check.contactsOutsidePlan.length} 人所在的单位不在计划中，不会收到提醒（单位名称是否写错？）：`);
    out.push(...check.contactsOutsidePlan.map((c) => describeOutside(c, directory)));
  }
  if (check.liaisonsWithoutId.length > 0) {
    out.push(
      `现在的发送渠道（${check.idOnlyChannel}）按钉钉ID发送，以下 ${check.liaisonsWithoutId.length} 名联络员没有填钉钉ID，收不到提醒：`,
    );
    out.push(...check.liaisonsWithoutId.map((c) => `  第 ${c.line} 行：${c.unitAsWritten} ${c.name}`));
  }
  if (check.clean) out.push('联络员名单没有问题。');
  return out;
}
