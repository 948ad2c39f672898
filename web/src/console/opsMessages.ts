// The devices, hotline and district pages' messages join the console's on first use of any of them: they ride in
// those pages' lazy chunks, not in the console's first page.
import { i18n } from '@/i18n';
import opsZh from '@/i18n/console-ops.zh-CN';
import opsEn from '@/i18n/console-ops.en-US';

let merged = false;

export function useOpsMessages() {
  if (merged) return;
  i18n.global.mergeLocaleMessage('zh-CN', opsZh);
  i18n.global.mergeLocaleMessage('en-US', opsEn);
  merged = true;
}
