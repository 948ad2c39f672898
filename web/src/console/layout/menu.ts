// The console's menu, by role: each item says who it serves, so a community staff member, a department liaison, the
// operations centre and the district each see their own work in a few groups instead of one long list of everything.
// The roles follow the API's own rules (the router's role lists); an item hidden here is a page its role has no use
// for, and the pages still refuse what the server refuses.
import { organisationRoles, patrolSupervisors, assessmentReaders, councilReaders, branchActivityReaders, broadcastReaders } from '../router';

export interface MenuItem {
  /** i18n key under console.menu (or console.box for queues). */
  label: string;
  path: string;
  /** data-test="menu-<test>": what the browser tests click. */
  test: string;
  /** Who sees it; none means every business role. */
  roles?: readonly string[];
  /** A badge: a queue's count or the duty officer's pending alerts. */
  badge?: 'queue' | 'duty';
}

export interface MenuGroup {
  /** i18n key under console.menuGroups. */
  title: string;
  items: MenuItem[];
}

const ops = 'subdistrict-operator';
const community = 'community-staff';
const liaison = 'department-liaison';
const district = 'district-viewer';

export function businessMenu(queues: readonly string[]): MenuGroup[] {
  return [
    {
      title: 'work',
      items: [
        { label: 'home', path: '/', test: 'home' },
        ...queues.map((q): MenuItem => ({ label: `box.${q}`, path: `/queues/${q}`, test: q, badge: 'queue' })),
        { label: 'search', path: '/cases', test: 'search' },
        { label: 'map', path: '/map', test: 'map' },
        { label: 'entry', path: '/entry', test: 'entry', roles: [community, ops] },
        { label: 'meetings', path: '/meetings', test: 'meetings', roles: [community, ops, liaison] },
      ],
    },
    {
      title: 'command',
      items: [
        { label: 'duty', path: '/duty', test: 'duty', roles: [ops], badge: 'duty' },
        { label: 'broadcasts', path: '/broadcasts', test: 'broadcasts', roles: broadcastReaders },
        { label: 'statistics', path: '/statistics', test: 'statistics' },
        { label: 'devices', path: '/devices', test: 'devices', roles: [ops, community] },
        { label: 'hotline', path: '/hotline', test: 'hotline', roles: [ops, community] },
        { label: 'district', path: '/district', test: 'district', roles: [ops, district] },
      ],
    },
    {
      title: 'people',
      items: [
        { label: 'households', path: '/households', test: 'households', roles: [community, ops, liaison, district] },
        { label: 'gridAffairs', path: '/grid-affairs', test: 'grid-affairs', roles: [community, ops, district, 'grid-leader'] },
        { label: 'roster', path: '/roster', test: 'roster', roles: [community, ops, 'grid-leader'] },
        { label: 'training', path: '/training', test: 'training', roles: [community, ops] },
        { label: 'patrols', path: '/patrols', test: 'patrols', roles: patrolSupervisors },
        { label: 'assessment', path: '/assessment', test: 'assessment', roles: assessmentReaders },
        { label: 'assessmentAppeals', path: '/assessment/appeals', test: 'assessment-appeals', roles: assessmentReaders },
        { label: 'assessmentAwards', path: '/assessment/awards', test: 'assessment-awards', roles: assessmentReaders },
        { label: 'council', path: '/council', test: 'council', roles: councilReaders },
        { label: 'branchActivities', path: '/branch-activities', test: 'branch-activities', roles: branchActivityReaders },
        { label: 'briefings', path: '/briefings', test: 'briefings', roles: [community, ops, district] },
        { label: 'volunteerAccounts', path: '/users', test: 'users', roles: [community] },
        { label: 'volunteerSignIn', path: '/volunteers', test: 'volunteers', roles: [community] },
      ],
    },
    {
      title: 'registers',
      items: [
        { label: 'organisations', path: '/organisations', test: 'organisations', roles: organisationRoles },
        { label: 'categories', path: '/categories', test: 'categories', roles: [ops] },
      ],
    },
    { title: 'mine', items: personalItems },
  ];
}

const personalItems: MenuItem[] = [
  { label: 'profile', path: '/account', test: 'profile' },
  { label: 'notifications', path: '/notifications', test: 'notifications' },
  { label: 'password', path: '/account/password', test: 'password' },
  { label: 'account', path: '/account/security', test: 'account' },
  { label: 'help', path: '/help', test: 'help' },
];

/** The three administrators: their own work, no queue, case or map (they may not read cases). */
export function administratorMenu(): MenuGroup[] {
  return [
    {
      title: 'administration',
      items: [
        { label: 'users', path: '/users', test: 'users', roles: ['security-admin'] },
        { label: 'approvals', path: '/users', test: 'approvals', roles: ['system-admin'] },
        { label: 'organisations', path: '/organisations', test: 'organisations', roles: ['system-admin'] },
        { label: 'gridImport', path: '/grids/import', test: 'grid-import', roles: ['system-admin'] },
        { label: 'categories', path: '/categories', test: 'categories', roles: ['system-admin'] },
        { label: 'devices', path: '/devices', test: 'devices', roles: ['system-admin'] },
        { label: 'hotline', path: '/hotline', test: 'hotline', roles: ['system-admin'] },
        { label: 'securityEvents', path: '/security-events', test: 'security-events', roles: ['audit-admin'] },
      ],
    },
    { title: 'mine', items: personalItems },
  ];
}

/** The groups with only the items the roles may see; empty groups dropped. */
export function visibleMenu(groups: MenuGroup[], roles: readonly string[]): MenuGroup[] {
  return groups
    .map((g) => ({ ...g, items: g.items.filter((i) => !i.roles || i.roles.some((r) => roles.includes(r))) }))
    .filter((g) => g.items.length > 0);
}
