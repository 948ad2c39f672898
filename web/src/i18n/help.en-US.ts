// The console's profile and help pages, per role.
export default {
  help: {
    title: 'Help', intro: 'The everyday tasks of your role. Follow the steps; if something goes wrong, call the support line.',
    yourRoles: 'Your roles: {roles}', support: 'Support', call: 'Call {phone}', noPhone: 'Ask your subdistrict’s system administrator.',
    hours: 'Hours: {hours}', print: 'Print this page', faq: 'Frequently asked', open: 'Go',
    roles: {
      'community-staff': {
        title: 'Community staff', steps: [
          ['Accept new reports', 'Go through 待受理: move misplaced ones to the right grid, merge duplicates, accept the rest.', '/queues/to-accept'],
          ['Work by deadline', 'Due-soon and overdue are sorted by deadline; red means overdue. Do the most urgent first.', '/queues/due-soon'],
          ['Calls and visits', 'Enter a resident’s call or visit; the resident gets the follow link by SMS.', '/entry'],
          ['Joint meetings', 'Yellow cases the grid cannot solve: invite departments and property staff.', '/meetings'],
          ['Volunteers', 'Create volunteers’ accounts and QR sign-in codes; no password to hand out.', '/volunteers'],
        ],
      },
      'subdistrict-operator': {
        title: 'Operations centre (duty)', steps: [
          ['Take over the shift', 'Accept the handover on the duty page and read the open urgent items.', '/duty'],
          ['Alerts', 'Red cases and urgent alarms pop up with a sound; acknowledge in time or they escalate to the leader on call.', '/duty'],
          ['Overdue cases', 'Supervise overdue cases; supervised cases go to the top of the handler’s list.', '/queues/overdue'],
          ['Emergency broadcast', 'Draw an area or pick grids and reach speakers, grid workers and residents.', '/broadcasts'],
          ['The whole picture', 'Statistics and the big screen (/screen/) by grid, category, channel and department.', '/statistics'],
        ],
      },
      'department-liaison': {
        title: 'Department liaison', steps: [
          ['Assigned cases', '我的待办 holds the cases assigned to your department, by deadline.', '/queues/mine'],
          ['Handle and report', 'Open a case and use the main button at the top; write the result and add an after photo.', '/queues/mine'],
          ['Not yours', 'Return it with a reason; it goes back to whoever assigned it.', '/queues/mine'],
          ['Joint meetings', 'Invitations and minutes.', '/meetings'],
        ],
      },
      'district-viewer': {
        title: 'District', steps: [
          ['Statistics', 'Counts, closure and on-time rates by subdistrict, community, category and department; monthly Excel report.', '/statistics'],
          ['Hand-offs', 'Red cases handed to the district, with delivery and answers.', '/district'],
          ['Five stars', 'Each grid’s stars and where every score comes from.', '/assessment'],
        ],
      },
      'grid-leader': {
        title: 'Grid leader', steps: [
          ['Patrol', 'Start a patrol on the phone; the track and steps are recorded.', '/patrols'],
          ['Team', 'Your grid’s people, training and work IDs.', '/roster'],
          ['Stars', 'Your grid’s scores; appeal if something is wrong.', '/assessment'],
        ],
      },
      'system-admin': {
        title: 'System administrator', steps: [
          ['Organisations', 'Departments, property companies, owners’ committees and partner units.', '/organisations'],
          ['Grid import', 'Upload grid boundaries (GeoJSON, Shapefile), preview, import.', '/grids/import'],
          ['Categories', 'Categories, time limits (working or natural time) and departments.', '/categories'],
        ],
      },
      'security-admin': { title: 'Security administrator', steps: [['Accounts', 'Create and deactivate accounts, reset passwords, lift lockouts; administrator roles need a second administrator.', '/users']] },
      'audit-admin': { title: 'Audit administrator', steps: [['Security audit log', 'Sign-ins, permission changes and exports, by time and account.', '/security-events']] },
    } as Record<string, { title: string; steps: [string, string, string][] }>,
    faqs: [
      ['Forgot my password?', 'Ask the security administrator to reset it; choose your own at the next sign-in.'],
      ['Lost my phone with the authenticator?', 'Sign in with a recovery code, then set it up again under Account security.'],
      ['Why can’t I see a case?', 'Everyone sees the cases of their own scope; ask your superior for others.'],
      ['Text too small?', 'Press Ctrl and + to zoom; every page supports it.'],
    ] as [string, string][],
  },
  profile: {
    title: 'My profile', account: 'Account', name: 'Name', roles: 'Roles', scope: 'Scope', wholeSystem: 'Whole system',
    security: 'Security', password: 'Change password', twoFactor: 'Two-step verification and devices', messages: 'Messages', notifications: 'My messages',
    help: 'Help', guide: 'Help', logout: 'Sign out',
    logoutConfirm: 'Sign out now? Anything unsaved is lost.', logoutTitle: 'Sign out', cancel: 'Cancel',
    sound: 'Alert sound', soundOn: 'On', soundOff: 'Off', soundHint: 'A sound for red cases and device alarms (after you have clicked on the page once).',
  },
};
