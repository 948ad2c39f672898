// The phone pages under /m/: residents report, follow their reports and see what was reported nearby (/m/nearby); grid and property staff see their tasks, work a case on
// /m/tasks/{number} (accept, handle, feed back, transfer, return, escalate), walk a patrol (巡查) at /m/patrols,
// report a problem quickly (随手报) at /m/quick-report, confirm emergency broadcasts (应急广播, 收到) at /m/broadcasts and read the
// notices (政策宣传) sent to them at /m/briefings, knock on doors (叮咚敲门) at /m/visit; council members evaluate grids (双评) at /m/council; /m/password changes a password an administrator set before anything else.
import { createRouter, createWebHistory } from 'vue-router';
import { useAuth } from '@/shared/auth';
import { isStaff } from '@/shared/landing';

export const router = createRouter({
  history: createWebHistory('/m/'),
  routes: [
    { path: '/', redirect: '/report' },
    { path: '/login', component: () => import('./pages/LoginPage.vue') },
    { path: '/sign-in', component: () => import('./pages/SignInPage.vue') },
    { path: '/password', component: () => import('./pages/PasswordPage.vue') },
    { path: '/report', component: () => import('./report/ReportPage.vue') },
    { path: '/messages', component: () => import('./pages/MessagesPage.vue') },
    { path: '/messages/settings', component: () => import('./pages/MessageSettingsPage.vue') },
    { path: '/wechat', component: () => import('./wechat/WeChatPage.vue') },
    { path: '/mine', component: () => import('./pages/MinePage.vue') },
    { path: '/mine/:number', component: () => import('./pages/TrackPage.vue'), props: true },
    // 附近的问题: recent reports near the resident, public facts only (no account needed).
    { path: '/nearby', component: () => import('./pages/NearbyPage.vue') },
    { path: '/tasks', component: () => import('./pages/TasksPage.vue'), meta: { staff: true } },
    { path: '/tasks/:number', component: () => import('./tasks/CaseTaskPage.vue'), props: true, meta: { staff: true } },
    { path: '/quick-report', component: () => import('./report/QuickReportPage.vue'), meta: { staff: true } },
    // "Patrol" means the walk (/patrols); the quick report's old address stays for bookmarks.
    { path: '/patrol', redirect: '/quick-report' },
    { path: '/patrols', component: () => import('./patrol/PatrolPage.vue'), meta: { staff: true } },
    { path: '/briefings', component: () => import('./briefings/BriefingsPage.vue'), meta: { staff: true } },
    { path: '/briefings/:id', component: () => import('./briefings/BriefingPage.vue'), props: true, meta: { staff: true } },
    { path: '/broadcasts', component: () => import('./broadcasts/BroadcastsPage.vue'), meta: { staff: true } },
    { path: '/visit', component: () => import('./visits/VisitPage.vue'), meta: { staff: true } },
    { path: '/needs', component: () => import('./needs/NeedsPage.vue'), meta: { staff: true } },
    { path: '/workid', component: () => import('./workid/WorkIdPage.vue'), meta: { staff: true } },
    { path: '/stars', component: () => import('./stars/StarsPage.vue'), meta: { staff: true } },
    // The resident council member's evaluation (双评): a resident account signed in by a QR code, so not a staff page.
    { path: '/council', component: () => import('./council/CouncilPage.vue') },
    { path: '/verify/:token', component: () => import('./workid/VerifyPage.vue'), props: true },
    { path: '/:rest(.*)*', redirect: '/report' },
  ],
});

router.beforeEach(async (to) => {
  if (!to.meta.staff) return true;
  const auth = useAuth();
  const user = await auth.load();
  if (!user) return { path: '/login', query: { next: to.fullPath } };
  // A password an administrator set is changed first (the server refuses everything else until then).
  if (user.passwordChangeRequired) return { path: '/password', query: { next: to.fullPath } };
  return isStaff(user.roles) ? true : '/mine';
});
