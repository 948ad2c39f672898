import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import en from 'element-plus/es/locale/lang/en';
import { i18n } from '@/i18n';
import App from './App.vue';
import { router } from './router';

createApp(App)
  .use(createPinia())
  .use(i18n)
  .use(ElementPlus, { locale: i18n.global.locale.value === 'en-US' ? en : zhCn })
  .use(router)
  .mount('#app');
