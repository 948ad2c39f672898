// The accounts, password and audit pages' messages join the console's when one of those pages loads.
import { i18n } from '@/i18n';
import zh from '@/i18n/console-accounts.zh-CN';
import en from '@/i18n/console-accounts.en-US';

let merged = false;

export function useAccountMessages() {
  if (merged) return;
  i18n.global.mergeLocaleMessage('zh-CN', zh);
  i18n.global.mergeLocaleMessage('en-US', en);
  merged = true;
}
