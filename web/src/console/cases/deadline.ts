// How a case's deadline reads in a list or the detail: its time, which deadline it is (受理 / 办理 / 督办 / 复查), and
// how long it is overdue (red) or how long is left.
import type { Schemas } from '@/api/client';
import { i18n } from '@/i18n';
import { beijingTime } from '@/shared/time';

type WithDeadline = Pick<Schemas['CaseSummary'], 'deadline' | 'deadlineKind'>;

/** 2天3小时, 5小时20分钟, 45分钟: the two largest units of a span. */
export function span(ms: number): string {
  const { t } = i18n.global;
  const minutes = Math.max(1, Math.floor(Math.abs(ms) / 60000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = days > 0
    ? [t('consoleCases.days', { n: days }), hours > 0 ? t('consoleCases.hours', { n: hours }) : '']
    : hours > 0 ? [t('consoleCases.hours', { n: hours }), mins > 0 ? t('consoleCases.minutes', { n: mins }) : ''] : [t('consoleCases.minutes', { n: mins })];
  return parts.filter(Boolean).join('');
}

export interface DeadlineView {
  at: string;
  kind: string;
  overdue: boolean;
  /** 已超 2天3小时 or 剩 5小时. */
  relative: string;
}

export function deadlineView(c: WithDeadline, now = Date.now()): DeadlineView | null {
  if (!c.deadline || !c.deadlineKind) return null;
  const { t } = i18n.global;
  const diff = new Date(c.deadline).getTime() - now;
  return {
    at: beijingTime(c.deadline),
    kind: t(`consoleCases.deadlineKinds.${c.deadlineKind}`),
    overdue: diff < 0,
    relative: diff < 0 ? t('consoleCases.overdueBy', { d: span(diff) }) : t('consoleCases.left', { d: span(diff) }),
  };
}
