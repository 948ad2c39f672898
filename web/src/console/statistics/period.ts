// The statistics page's periods, in Beijing dates: this month so far, last month, this quarter so far, this year so far, the
// last 12 months (this one included) and a custom range of whole months. Every period is whole months (the last one may
// stop today), so the breakdowns (month roll-ups) and the summary count the same days, and at most 12 months, which the
// summary accepts (366 days) and whose monthly trend takes at most 12 calls.

export type PeriodKind = 'this-month' | 'last-month' | 'this-quarter' | 'this-year' | 'last-12' | 'custom';
export const periodKinds: PeriodKind[] = ['this-month', 'last-month', 'this-quarter', 'this-year', 'last-12', 'custom'];
export const maxMonths = 12;

export interface StatsPeriod {
  kind: PeriodKind;
  /** First Beijing date, yyyy-MM-dd. */
  from: string;
  /** Last Beijing date, yyyy-MM-dd, inclusive: today when the period reaches this month. */
  to: string;
  /** Every month of the period, yyyy-MM, oldest first. */
  months: string[];
}

interface Ym { y: number; m: number }

const pad = (n: number) => String(n).padStart(2, '0');
export const monthKey = ({ y, m }: Ym) => `${y}-${pad(m)}`;
const parseMonth = (key: string): Ym => ({ y: Number(key.slice(0, 4)), m: Number(key.slice(5, 7)) });
const addMonths = ({ y, m }: Ym, n: number): Ym => {
  const index = y * 12 + (m - 1) + n;
  return { y: Math.floor(index / 12), m: (index % 12) + 1 };
};
const lastDay = ({ y, m }: Ym) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const monthsBetween = (a: Ym, b: Ym) => (b.y - a.y) * 12 + b.m - a.m;

/** Today's Beijing date, yyyy-MM-dd (whatever the device's zone). */
export function beijingToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The period of a kind as of `today` (yyyy-MM-dd); `custom` takes its first and last month (yyyy-MM), kept within the past 12 months of it. */
export function periodOf(kind: PeriodKind, today: string, custom?: [string, string]): StatsPeriod {
  const now = parseMonth(today);
  let start: Ym;
  let end: Ym = now;
  switch (kind) {
    case 'last-month': start = end = addMonths(now, -1); break;
    case 'this-quarter': start = { y: now.y, m: now.m - ((now.m - 1) % 3) }; break;
    case 'this-year': start = { y: now.y, m: 1 }; break;
    case 'last-12': start = addMonths(now, -(maxMonths - 1)); break;
    case 'custom': {
      end = custom ? parseMonth(custom[1]) : now;
      if (monthsBetween(now, end) > 0) end = now;
      start = custom ? parseMonth(custom[0]) : end;
      if (monthsBetween(start, end) < 0) start = end;
      if (monthsBetween(start, end) >= maxMonths) start = addMonths(end, -(maxMonths - 1));
      break;
    }
    default: start = now;
  }
  const months: string[] = [];
  for (let i = 0; i <= monthsBetween(start, end); i++) months.push(monthKey(addMonths(start, i)));
  const to = monthKey(end) === monthKey(now) ? today : `${monthKey(end)}-${pad(lastDay(end))}`;
  return { kind, from: `${monthKey(start)}-01`, to, months };
}

/** The days of one month of the period: its whole month, cut to the period's ends. */
export function monthRange(period: StatsPeriod, month: string): { from: string; to: string } {
  const first = `${month}-01`;
  const last = `${month}-${pad(lastDay(parseMonth(month)))}`;
  return { from: first < period.from ? period.from : first, to: last > period.to ? period.to : last };
}

/** True for a month after this one (the pickers disable it). */
export function isFutureMonth(date: Date, today: string): boolean {
  return monthKey({ y: date.getFullYear(), m: date.getMonth() + 1 }) > today.slice(0, 7);
}

/** The monthly report's default month for a period: its latest whole month (a report is made after its month), else its month. */
export function reportMonthOf(period: StatsPeriod, today: string): string {
  const whole = period.months.filter((m) => m !== today.slice(0, 7));
  return whole.at(-1) ?? period.months.at(-1)!;
}

type Translate = (key: string, params: Record<string, string | number>) => string;

/**
 * The period in words, from the page's messages (statistics.range.*): 2026年11月, 2026年3月至8月, 2026年12月1日至7日,
 * 2026年1月1日至12月7日, 2025年12月1日至2026年12月7日. (Intl's formatRange is not used: some browsers answer 2026/1/1 – 2026/12/7.)
 */
export function describePeriod(period: StatsPeriod, t: Translate, locale: string): string {
  const [y1, m1, d1] = period.from.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = period.to.split('-').map(Number) as [number, number, number];
  const monthName = (m: number) => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'long' }).format(new Date(Date.UTC(2000, m - 1, 1)));
  const p = { y1, m1, d1, y2, m2, d2, mn1: monthName(m1), mn2: monthName(m2) };
  const wholeMonths = d1 === 1 && d2 === lastDay({ y: y2, m: m2 });
  if (wholeMonths) {
    if (y1 === y2 && m1 === m2) return t('statistics.range.month', p);
    return t(y1 === y2 ? 'statistics.range.monthsInYear' : 'statistics.range.months', p);
  }
  if (period.from === period.to) return t('statistics.range.day', p);
  if (y1 === y2 && m1 === m2) return t('statistics.range.daysInMonth', p);
  return t(y1 === y2 ? 'statistics.range.daysInYear' : 'statistics.range.days', p);
}
