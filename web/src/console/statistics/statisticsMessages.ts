// The statistics page's messages join the console's when its chunk loads.
import { i18n } from '@/i18n';
import zh from '@/i18n/statistics.zh-CN';
import en from '@/i18n/statistics.en-US';

let merged = false;

export function useStatisticsMessages() {
  if (merged) return;
  i18n.global.mergeLocaleMessage('zh-CN', zh);
  i18n.global.mergeLocaleMessage('en-US', en);
  merged = true;
}
