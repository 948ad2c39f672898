// The staff console at /. Later sessions add the queues, case detail, dialogs, map and phone entry as
// feature folders under console/ with their routes here.
import { createRouter, createWebHistory } from 'vue-router';
import { useAuth } from '@/shared/auth';
import { landingFor } from '@/shared/landing';

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', component: () => import('./pages/LoginPage.vue'), meta: { public: true } },
    { path: '/', component: () => import('./pages/HomePage.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  const user = await useAuth().load();
  if (!user) return { path: '/login', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  const landing = landingFor(user.roles);
  if (landing !== '/') {
    window.location.assign(landing); // residents and field staff work on the phone pages
    return false;
  }
  return true;
});
