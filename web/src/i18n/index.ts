// zh-CN by default, en-US on request (remembered on this device). Both apps share these messages.
import { createI18n } from 'vue-i18n';
import zhCN from './zh-CN';
import enUS from './en-US';

export type Locale = 'zh-CN' | 'en-US';
const stored = localStorage.getItem('civicgrid.locale');
const locale: Locale = stored === 'en-US' ? 'en-US' : 'zh-CN';

export const i18n = createI18n({
  legacy: false,
  locale,
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, 'en-US': enUS },
});
document.documentElement.lang = locale;

export function toggleLocale() {
  const next: Locale = i18n.global.locale.value === 'zh-CN' ? 'en-US' : 'zh-CN';
  i18n.global.locale.value = next;
  localStorage.setItem('civicgrid.locale', next);
  document.documentElement.lang = next;
}
