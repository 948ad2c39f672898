// The briefing and grid import pages' messages join the app's on first use of any of them: they ride in those pages'
// lazy chunks, not in the first page of the console or the phone.
import { i18n } from '@/i18n';
import zh from '@/i18n/briefings.zh-CN';
import en from '@/i18n/briefings.en-US';

let merged = false;

export function useBriefingMessages() {
  if (merged) return;
  i18n.global.mergeLocaleMessage('zh-CN', zh);
  i18n.global.mergeLocaleMessage('en-US', en);
  merged = true;
}
