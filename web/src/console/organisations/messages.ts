// The organisations page's messages join the console's when its chunk loads.
import { i18n } from '@/i18n';
import orgsZh from '@/i18n/console-orgs.zh-CN';
import orgsEn from '@/i18n/console-orgs.en-US';

let merged = false;

export function useOrgMessages() {
  if (merged) return;
  i18n.global.mergeLocaleMessage('zh-CN', orgsZh);
  i18n.global.mergeLocaleMessage('en-US', orgsEn);
  merged = true;
}
