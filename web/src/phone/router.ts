// The phone pages under /m/: residents report and follow; grid and property staff see their tasks.
// Later sessions add the worker's case pages (handle, feed back, transfer, escalate) under /m/tasks/….
import { createRouter, createWebHistory } from 'vue-router';
import { useAuth } from '@/shared/auth';
import { isStaff } from '@/shared/landing';

export const router = createRouter({
  history: createWebHistory('/m/'),
  routes: [
    { path: '/', redirect: '/report' },
    { path: '/login', component: () => import('./pages/LoginPage.vue') },
    { path: '/report', component: () => import('./report/ReportPage.vue') },
    { path: '/mine', component: () => import('./pages/MinePage.vue') },
    { path: '/mine/:number', component: () => import('./pages/TrackPage.vue'), props: true },
    { path: '/tasks', component: () => import('./pages/TasksPage.vue'), meta: { staff: true } },
    { path: '/:rest(.*)*', redirect: '/report' },
  ],
});

router.beforeEach(async (to) => {
  if (!to.meta.staff) return true;
  const auth = useAuth();
  const user = await auth.load();
  if (!user) return { path: '/login', query: { next: to.fullPath } };
  return isStaff(user.roles) ? true : '/mine';
});
