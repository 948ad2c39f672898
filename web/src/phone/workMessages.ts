// The field staff's phone pages' messages (i18n/phonework.*) join the app's on first use of any of those pages.
import { i18n } from '@/i18n';
import zh from '@/i18n/phonework.zh-CN';
import en from '@/i18n/phonework.en-US';

let merged = false;

export function useWorkMessages() {
  if (merged) return;
  i18n.global.mergeLocaleMessage('zh-CN', zh);
  i18n.global.mergeLocaleMessage('en-US', en);
  merged = true;
}
