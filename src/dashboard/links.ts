/**
 * Links between the dashboard's pages, relative to the page they are on, so the dashboard also works behind a
 * proxy that serves it under a longer path. The board is `/dashboard`; the other pages are `/dashboard/<page>`.
 */
export interface BoardQuery {
  section?: string | null;
  unit?: string | null;
  status?: string | null;
}

export interface Links {
  board(query?: BoardQuery): string;
  unit(name: string): string;
  item(planId: number, number: number): string;
  /** `ledger.xlsx`, `ledger.csv`. */
  file(name: string): string;
}

function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Links from the board (`/dashboard`) or from one of the pages beneath it (`/dashboard/unit`). */
export function linksFrom(where: 'board' | 'sub'): Links {
  const sub = where === 'board' ? 'dashboard/' : '';
  return {
    board: (q = {}) => `${where === 'board' ? 'dashboard' : '../dashboard'}${query({ section: q.section, unit: q.unit, status: q.status })}`,
    unit: (name) => `${sub}unit${query({ name })}`,
    item: (planId, number) => `${sub}item${query({ plan: planId, n: number })}`,
    file: (name) => `${sub}${name}`,
  };
}
