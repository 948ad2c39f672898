// The profile and help pages' messages join the console's on first use of either.
import { i18n } from '@/i18n';
import zh from '@/i18n/help.zh-CN';
import en from '@/i18n/help.en-US';

let merged = false;

export function useHelpMessages() {
  if (merged) return;
  i18n.global.mergeLocaleMessage('zh-CN', zh);
  i18n.global.mergeLocaleMessage('en-US', en);
  merged = true;
}
