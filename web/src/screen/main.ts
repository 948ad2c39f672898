// The operations centre's big screen at /screen/: one page, designed for 1920×1080 and scaled to the display.
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import { i18n } from '@/i18n';
import screenZh from '@/i18n/screen.zh-CN';
import screenEn from '@/i18n/screen.en-US';
import consoleZh from '@/i18n/console.zh-CN';
import consoleEn from '@/i18n/console.en-US';
import ScreenApp from './ScreenApp.vue';

i18n.global.mergeLocaleMessage('zh-CN', { ...consoleZh, ...screenZh });
i18n.global.mergeLocaleMessage('en-US', { ...consoleEn, ...screenEn });

createApp(ScreenApp).use(createPinia()).use(i18n).mount('#app');
