// The periods the patrol pages offer (today, this week, this month, a date range) as Beijing dates, and which dates the
// server would refuse (GET /api/patrols/coverage and /days: no future date, at most MAX_PERIOD_DAYS days; /tracks: no
// future date), so the pickers never offer them.

export type PeriodPreset = 'today' | 'week' | 'month' | 'range';
export type CoverageLevel = 'micro' | 'grid-3';
export interface PatrolPeriod { preset: PeriodPreset; from: string; to: string; level: CoverageLevel }
export const periodPresets: readonly PeriodPreset[] = ['today', 'week', 'month', 'range'];

/** PatrolsApi.MaxPeriodDays. */
export const MAX_PERIOD_DAYS = 62;
const DAY = 86_400_000;

/** A Beijing date (yyyy-MM-dd) of an instant. */
export function beijingDate(at: Date | number = Date.now()): string {
  return new Date(new Date(at).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The dates of a preset, ending today (Beijing); the week starts on Monday. */
export function presetPeriod(preset: Exclude<PeriodPreset, 'range'>, now = Date.now()): { from: string; to: string } {
  const today = beijingDate(now);
  if (preset === 'today') return { from: today, to: today };
  if (preset === 'month') return { from: `${today.slice(0, 8)}01`, to: today };
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
  return { from: beijingDate(new Date(`${today}T00:00:00+08:00`).getTime() - ((weekday + 6) % 7) * DAY), to: today };
}

/** True for a day after today (Beijing): the pickers grey it out. */
export function isFuture(day: Date, now = Date.now()): boolean {
  return localDate(day) > beijingDate(now);
}

/** A picker's day as the yyyy-MM-dd it shows (pickers give local midnight). */
export function localDate(day: Date): string {
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
}

/** While a range is being picked from `first`: days that would make it longer than the server allows are greyed out too. */
export function outOfRange(day: Date, first: Date | null, now = Date.now()): boolean {
  if (isFuture(day, now)) return true;
  if (!first) return false;
  return Math.abs(Math.round((day.getTime() - first.getTime()) / DAY)) >= MAX_PERIOD_DAYS;
}
