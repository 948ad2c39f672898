// The emergency broadcast pages' messages join the app's when one of those pages loads (console /broadcasts, phone
// /m/broadcasts), so neither app's first page carries them.
import { i18n } from '@/i18n';
import zh from '@/i18n/broadcast.zh-CN';
import en from '@/i18n/broadcast.en-US';

let merged = false;

export function useBroadcastMessages() {
  if (merged) return;
  i18n.global.mergeLocaleMessage('zh-CN', zh);
  i18n.global.mergeLocaleMessage('en-US', en);
  merged = true;
}
