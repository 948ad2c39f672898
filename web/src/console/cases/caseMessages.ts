// The case work's messages (lists, detail, work order, hand-offs, devices) join the console's on first use of any of
// those pages: they ride in the case pages' chunks, not in the console's first page.
import { i18n } from '@/i18n';
import zh from '@/i18n/console-cases.zh-CN';
import en from '@/i18n/console-cases.en-US';
import './caseWork.css';

let merged = false;

export function useCaseMessages() {
  if (merged) return;
  i18n.global.mergeLocaleMessage('zh-CN', zh);
  i18n.global.mergeLocaleMessage('en-US', en);
  merged = true;
}
