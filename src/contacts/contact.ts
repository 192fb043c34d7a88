/** Who speaks for a unit: one row of the contacts file (CONTACTS_FILE, `单位,姓名,手机,钉钉ID,角色`). */

/** `liaison` = 联络员 (reports for the unit, gets its reminders); `leader` = 分管领导 (told on escalation). */
export type ContactRole = 'liaison' | 'leader';

export const ROLE_LABELS: Record<ContactRole, string> = { liaison: '联络员', leader: '分管领导' };

export interface Contact {
  /** Canonical unit name (aliases resolved through the units directory). */
  unit: string;
  /** The unit as written in the file. */
  unitAsWritten: string;
  name: string;
  /** 11-digit mainland mobile number, or null. */
  mobile: string | null;
  /** DingTalk userId (staffId), or on 浙政钉 the accountId; null when not known. */
  dingtalkId: string | null;
  role: ContactRole;
  /** 1-based line in the file, for messages. */
  line: number;
}
