import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import './theme.css';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import en from 'element-plus/es/locale/lang/en';
import { i18n } from '@/i18n';
import consoleZh from '@/i18n/console.zh-CN';
import consoleEn from '@/i18n/console.en-US';
import App from './App.vue';
import { router } from './router';
import { nameUnlabelledInputs } from '@/shared/accessibleNames';

// The console's own messages live beside the shared ones, outside the phone pages' bundle.
i18n.global.mergeLocaleMessage('zh-CN', consoleZh);
i18n.global.mergeLocaleMessage('en-US', consoleEn);

nameUnlabelledInputs(document.body);

createApp(App)
  .use(createPinia())
  .use(i18n)
  .use(ElementPlus, { locale: i18n.global.locale.value === 'en-US' ? en : zhCn })
  .use(router)
  .mount('#app');
