// The staff console at /. Each feature folder (cases/, map/, entry/, meetings/, devices/, hotline/, district/) is its own chunk, loaded when opened,
// so the console's first page and the phone pages do not carry them.
import { createRouter, createWebHistory } from 'vue-router';
import { useAuth } from '@/shared/auth';
import { administratorHome, isAdministrator, landingFor } from '@/shared/landing';

/** Who uses the organisation register: the system admin keeps it, the community and the operations centre read it and sink liaisons. */
export const organisationRoles = ['system-admin', 'community-staff', 'subdistrict-operator'];

/** Who reads patrols of a scope (PatrolsApi.Supervisors): grid leaders, community staff, the operations centre, the district. */
export const patrolSupervisors = ['grid-leader', 'community-staff', 'subdistrict-operator', 'district-viewer'];

/** Who reads five-star results of a scope (AssessmentApi.Readers): the grid's own workers too. */
export const assessmentReaders = ['grid-worker', ...patrolSupervisors];

/** Who keeps the resident council (CouncilApi.Keepers) and who reads it too (the district): never the grids' own people, who are evaluated. */
export const councilKeepers = ['community-staff', 'subdistrict-operator'];
export const councilReaders = [...councilKeepers, 'district-viewer'];

/** Who reads branch activities (BranchActivitiesApi.Readers); the council's keepers record them. */
export const branchActivityReaders = [...councilReaders, 'grid-leader'];

/** Who reads the emergency broadcast log (BroadcastsApi.Readers); only the operations centre sends. */
export const broadcastReaders = ['subdistrict-operator', 'district-viewer'];

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', component: () => import('./pages/LoginPage.vue'), meta: { public: true } },
    { path: '/', component: () => import('./pages/HomePage.vue') },
    { path: '/queues/:box', component: () => import('./cases/QueuePage.vue'), props: true },
    { path: '/cases', component: () => import('./cases/SearchPage.vue') },
    { path: '/cases/:number', component: () => import('./cases/CaseDetailPage.vue'), props: true },
    { path: '/cases/:number/print', component: () => import('./cases/CaseOrderPage.vue'), props: true },
    { path: '/map', component: () => import('./map/MapPage.vue') },
    { path: '/entry', component: () => import('./entry/EntryPage.vue') },
    { path: '/meetings', component: () => import('./meetings/MeetingPage.vue') },
    { path: '/duty', component: () => import('./duty/DutyPage.vue') },
    { path: '/statistics', component: () => import('./statistics/StatisticsPage.vue') },
    { path: '/broadcasts', component: () => import('./broadcasts/BroadcastsPage.vue'), meta: { roles: broadcastReaders } },
    { path: '/devices', component: () => import('./devices/DevicesPage.vue') },
    { path: '/hotline', component: () => import('./hotline/HotlinePage.vue') },
    { path: '/district', component: () => import('./district/ReferralsPage.vue') },
    { path: '/patrols', component: () => import('./patrols/PatrolsPage.vue'), meta: { roles: patrolSupervisors } },
    { path: '/patrols/:id', component: () => import('./patrols/PatrolDetailPage.vue'), props: true, meta: { roles: patrolSupervisors } },
    { path: '/assessment', component: () => import('./assessment/AssessmentPage.vue'), meta: { roles: assessmentReaders } },
    { path: '/council', component: () => import('./council/CouncilPage.vue'), meta: { roles: councilReaders } },
    { path: '/branch-activities', component: () => import('./council/BranchActivitiesPage.vue'), meta: { roles: branchActivityReaders } },
    { path: '/assessment/catalogue', component: () => import('./assessment/CataloguePage.vue'), meta: { roles: assessmentReaders } },
    { path: '/assessment/appeals', component: () => import('./assessment/AppealsPage.vue'), meta: { roles: assessmentReaders } },
    { path: '/assessment/awards', component: () => import('./assessment/AwardsPage.vue'), meta: { roles: assessmentReaders } },
    { path: '/assessment/runs/:id', component: () => import('./assessment/RunPage.vue'), props: true, meta: { roles: assessmentReaders } },
    { path: '/households', component: () => import('./households/HouseholdsPage.vue') },
    { path: '/roster', component: () => import('./roster/RosterPage.vue') },
    { path: '/grid-affairs', component: () => import('./affairs/GridAffairsPage.vue') },
    { path: '/training', component: () => import('./training/TrainingPage.vue') },
    { path: '/training/cards/:id', component: () => import('./training/WorkIdCardPage.vue'), props: true },
    { path: '/users', component: () => import('./accounts/UsersPage.vue') },
    { path: '/notifications', component: () => import('./notifications/NotificationsPage.vue') },
    { path: '/account', component: () => import('./help/ProfilePage.vue') },
    { path: '/help', component: () => import('./help/HelpPage.vue') },
    { path: '/account/password', component: () => import('./accounts/PasswordPage.vue') },
    { path: '/account/security', component: () => import('./accounts/AccountSecurityPage.vue') },
    { path: '/volunteers', component: () => import('./accounts/VolunteersPage.vue') },
    { path: '/security-events', component: () => import('./audit/SecurityEventsPage.vue') },
    { path: '/organisations', component: () => import('./organisations/OrganisationsPage.vue'), meta: { roles: organisationRoles } },
    { path: '/briefings', component: () => import('./briefings/BriefingsPage.vue') },
    { path: '/categories', component: () => import('./catalogue/CategoriesPage.vue') },
    { path: '/grids/import', component: () => import('./grids/GridImportPage.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

/** The pages that show cases, which the three administrators may not open. */
// (The 12345 page stays open to the system admin for its column mappings; its imports and exports answer them 403.)
const caseRoutes = ['/queues', '/cases', '/map', '/entry', '/meetings', '/duty', '/statistics', '/district', '/households', '/grid-affairs', '/assessment', '/council', '/branch-activities'];

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  const user = await useAuth().load();
  if (!user) return { path: '/login', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  const landing = landingFor(user.roles);
  if (landing !== '/') {
    window.location.assign(landing); // residents and field staff work on the phone pages
    return false;
  }
  // A one-time password from a reset opens nothing but the change (the server refuses everything else too).
  if (user.passwordChangeRequired && to.path !== '/account/password') return { path: '/account/password' };
  // Administrators see no case: their console starts at their own work.
  if (isAdministrator(user.roles) && (to.path === '/' || caseRoutes.some((p) => to.path === p || to.path.startsWith(`${p}/`)))) {
    return { path: administratorHome(user.roles) };
  }
  const roles = to.meta.roles as string[] | undefined;
  if (roles && !user.roles.some((r) => roles.includes(r))) return '/';
  return true;
});
