// The resident council pages' messages join the app's on first use of any of them (console and phone alike).
import { i18n } from '@/i18n';
import zh from '@/i18n/council.zh-CN';
import en from '@/i18n/council.en-US';

let merged = false;

export function useCouncilMessages() {
  if (merged) return;
  i18n.global.mergeLocaleMessage('zh-CN', zh);
  i18n.global.mergeLocaleMessage('en-US', en);
  merged = true;
}
