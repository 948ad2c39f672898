import { createApp } from 'vue';
import { createPinia } from 'pinia';
import 'vant/lib/index.css';
import './phone.css';
import { i18n } from '@/i18n';
import App from './App.vue';
import { router } from './router';
import { startOutbox } from './report/outbox';
import { nameUnlabelledInputs } from '@/shared/accessibleNames';

nameUnlabelledInputs(document.body);
createApp(App).use(createPinia()).use(i18n).use(router).mount('#app');
startOutbox();
