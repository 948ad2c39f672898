// English messages of the policy briefings and the grid import page (see briefings.zh-CN.ts).
import type { BriefingRecipientKind as Kind } from '@/shared/contract';

export default {
  briefingKinds: {
    'grid-worker': 'Grid workers', 'micro-grid-worker': 'Micro-grid workers', 'grid-leader': 'Grid leaders', 'department-liaison': 'Department liaisons',
    'community-staff': 'Community staff', 'property-staff': 'Property staff',
  } satisfies Record<Kind, string> as Record<string, string>,
  consoleBriefing: {
    title: 'Policy briefings', compose: 'New briefing', sent: 'Sent', read: 'Read', confirmed: 'Confirmed', outstanding: 'Unread', rate: 'Read rate',
    sender: 'Sender', sentAt: 'Sent at', dueAt: 'Read by', noDue: 'No deadline', confirmation: 'Confirm', yes: 'Yes', no: 'No', empty: 'No briefings sent yet',
    titleLabel: 'Title', body: 'Text', bodyHint: 'Plain text or simple Markdown: # heading, - list, **bold**', attachment: 'Attachment link', attachmentHint: 'Optional: an http(s) address or a path on this site, e.g. /files/notice.pdf',
    requiresConfirmation: 'Ask for "I have read it"', due: 'Read by', audience: 'Recipients', grids: 'By grid', gridsHint: 'Choose grids (each with all grids below it)',
    kinds: 'By kind', organisations: 'By organisation', organisationsHint: 'Departments or property companies', audienceHint: 'All conditions apply together; several choices in one condition mean "or". No grid means your whole scope.',
    count: 'Will be sent to {n} people', countNone: 'Choose the recipients', countSample: 'e.g. {names}', send: 'Send', sentDone: 'Sent to {n} people',
    detail: 'Briefing', receipts: 'Read receipts', unreadByGrid: 'Not read yet (by grid)', remind: 'Remind unread', reminded: '{n} reminded',
    remindRepeated: 'Reminded at {time} already; not sent again', lastReminded: 'Last reminder: {time}', allRead: 'Everyone has read it', name: 'Name', grid: 'Grid', kind: 'Kind',
    openedAt: 'First read', confirmedAt: 'Confirmed', reminders: 'Reminders', notYet: 'Unread', audienceSummary: 'Sent to', attachmentOpen: 'Open attachment',
  },
  consoleGridImport: {
    title: 'Grid import', file: 'Grid file', fileHint: 'GeoJSON or a zipped Shapefile (.zip) with code, name, level, parentCode', crs: 'Coordinates',
    dryRun: 'Check only, import nothing', submit: 'Import', checking: 'Checking…', accepted: 'Imported', dryRunPassed: 'Check passed: ready to import', refused: 'Import refused; nothing was changed',
    counts: 'Grids created {created}, redrawn {redrawn}, unchanged {unchanged}; compounds created {compounds}; buildings created {buildings}', normalisations: 'Codes converted',
    problems: 'Problems', severity: 'Severity', kind: 'Kind', feature: 'Feature', code: 'Code', message: 'Message', error: 'Error', warning: 'Warning', chooseFile: 'Choose a file first',
  },
  briefing: {
    title: 'Notices', empty: 'No notices yet', unread: '{n} unread', from: 'From {name}', due: 'Please read by {time}', confirm: 'I have read it',
    confirmed: 'You confirmed reading at {time}', opened: 'Read', mustConfirm: 'Confirm', attachment: 'Open attachment', back: 'Back to notices', open: 'Open notice',
  },
};
