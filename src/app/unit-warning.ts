/** The one-line hint after an import or at start: which units the units directory does not know. */
import { checkUnits } from '../units/check-units';
import type { UnitDirectory } from '../units/unit-directory';

export function unitWarning(dir: UnitDirectory, planUnits: string[]): string | null {
  if (dir.missing) {
    return `没有找到单位目录文件 ${dir.file}，无法检查责任单位。请创建该文件（格式见 README“单位目录”），或用 UNITS_FILE 指定它的位置。`;
  }
  const unknown = checkUnits(planUnits, dir).unknown;
  if (unknown.length === 0) return null;
  return `单位目录中没有以下 ${unknown.length} 个单位，发送提醒前请在 ${dir.file} 中补充，再运行 duban units check 确认：${unknown.join('、')}`;
}
