// A district hand-off's delivery in words for the operations centre: what happened and what happens next, in Chinese
// (推送失败，系统将于 14:30 自动重试 / 已停止重试，请…), never an exception's name, an HTTP status or milliseconds — those
// stay for administrators behind 技术详情.
import { i18n } from '@/i18n';
import { beijingTime } from '@/shared/time';

export type DeliveryTone = 'success' | 'info' | 'warning' | 'danger';

export interface DeliveryState {
  delivery: string;
  attempts?: number;
  nextAttemptAt?: string | null;
}

/** The tag's short word and colour: 已送达, 等待推送, 待重试, 已停止重试, 线下移交. */
export function deliveryTag(s: DeliveryState): { text: string; tone: DeliveryTone } {
  const { t } = i18n.global;
  switch (s.delivery) {
    case 'sent': return { text: t('consoleDistrict.deliveries.sent'), tone: 'success' };
    case 'failed': return { text: t('consoleDistrictWords.stopped'), tone: 'danger' };
    case 'pending': return (s.attempts ?? 0) > 0
      ? { text: t('consoleDistrictWords.retrying'), tone: 'warning' }
      : { text: t('consoleDistrictWords.waiting'), tone: 'info' };
    case 'none': return { text: t('consoleDistrictWords.offline'), tone: 'info' };
    default: return { text: t(`consoleDistrict.deliveries.${s.delivery}`), tone: 'info' };
  }
}

/** The sentence: what happened and what happens next. */
export function deliverySentence(s: DeliveryState): string {
  const { t } = i18n.global;
  const at = s.nextAttemptAt ? beijingTime(s.nextAttemptAt).slice(11) : '';
  switch (s.delivery) {
    case 'sent': return t('consoleOpsText.delivery.sent');
    case 'failed': return t('consoleOpsText.delivery.gaveUp');
    case 'pending':
      return (s.attempts ?? 0) > 0 && at ? t('consoleOpsText.delivery.retrying', { at }) : t('consoleOpsText.delivery.pendingFirst');
    case 'none': return t('consoleOpsText.delivery.none');
    default: return t(`consoleDistrict.deliveries.${s.delivery}`);
  }
}

/** Why one attempt failed, in words: timeout, unreachable, refused (4xx) or failed (5xx) — read from the status and the error. */
export function attemptReason(httpStatus: number | null | undefined, error: string | null | undefined): string {
  const { t } = i18n.global;
  if (httpStatus && httpStatus >= 500) return t('consoleOpsText.delivery.reason.server', { status: httpStatus });
  if (httpStatus && httpStatus >= 400) return t('consoleOpsText.delivery.reason.refused', { status: httpStatus });
  const e = (error ?? '').toLowerCase();
  if (e.includes('timeout') || e.includes('timed out') || e.includes('canceled')) return t('consoleOpsText.delivery.reason.timeout');
  if (e) return t('consoleOpsText.delivery.reason.unreachable');
  return t('consoleOpsText.delivery.reason.other');
}
