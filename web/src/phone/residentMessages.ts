// The resident pages' messages (receipt, case page, nearby reports, elder mode) join the app's on first use.
import { i18n } from '@/i18n';
import zh from '@/i18n/resident.zh-CN';
import en from '@/i18n/resident.en-US';

let merged = false;

export function useResidentMessages() {
  if (merged) return;
  i18n.global.mergeLocaleMessage('zh-CN', zh);
  i18n.global.mergeLocaleMessage('en-US', en);
  merged = true;
}
