// The household register's and door-knocking pages' messages join the app's on first use of any of them (console and phone).
import { i18n } from '@/i18n';
import zh from '@/i18n/households.zh-CN';
import en from '@/i18n/households.en-US';

let merged = false;

export function useHouseholdMessages() {
  if (merged) return;
  i18n.global.mergeLocaleMessage('zh-CN', zh);
  i18n.global.mergeLocaleMessage('en-US', en);
  merged = true;
}
