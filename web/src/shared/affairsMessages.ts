// The needs/resources/projects, claims and councils pages' messages join the app's on first use (console and phone alike).
import { i18n } from '@/i18n';
import zh from '@/i18n/affairs.zh-CN';
import en from '@/i18n/affairs.en-US';

let merged = false;

export function useAffairsMessages() {
  if (merged) return;
  i18n.global.mergeLocaleMessage('zh-CN', zh);
  i18n.global.mergeLocaleMessage('en-US', en);
  merged = true;
}
