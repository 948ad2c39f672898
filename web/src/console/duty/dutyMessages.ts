// The duty page's messages join the console's when its chunk loads.
import { i18n } from '@/i18n';
import dutyZh from '@/i18n/duty.zh-CN';
import dutyEn from '@/i18n/duty.en-US';

let merged = false;

export function useDutyMessages() {
  if (merged) return;
  i18n.global.mergeLocaleMessage('zh-CN', dutyZh);
  i18n.global.mergeLocaleMessage('en-US', dutyEn);
  merged = true;
}
