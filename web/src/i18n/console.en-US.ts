import type zh from './console.zh-CN';
import type { CaseChannel } from '@/shared/contract';

const en: typeof zh = {
  console: {
    title: 'Console', welcome: 'Welcome, {name}', scope: 'Scope', inbox: 'Inbox', cases: 'Cases', soon: 'More is coming',
    menu: {
      account: 'Account security', volunteerSignIn: 'Volunteer sign-in',
      home: 'Home', queues: 'Queues', search: 'Search cases', map: 'Grid map', entry: 'Phone / walk-in', meetings: 'Joint meetings', devices: 'Devices', hotline: '12345 orders', district: 'District hand-offs', users: 'Accounts', approvals: 'Role approvals', securityEvents: 'Security audit', password: 'Change password', volunteerAccounts: 'Volunteer accounts', organisations: 'Organisations', briefings: 'Policy briefings', gridImport: 'Grid import', households: 'Households and visits', roster: 'Grid-worker roster', training: 'Training and work IDs', patrols: 'Patrols and coverage', assessment: 'Five stars', assessmentCatalogue: 'Indicator catalogue', gridAffairs: 'Needs, resources, projects',
    },
    box: {
      'to-accept': 'To accept', 'to-confirm': 'Confirm location', 'due-soon': 'Due soon', overdue: 'Overdue', supervised: 'Supervised', mine: 'Mine',
      'grid-open': 'Open at my level',
    },
    col: {
      number: 'Number', title: 'Title', tier: 'Colour', status: 'Status', grid: 'Grid', reportedAt: 'Reported (Beijing)', dueAt: 'Due',
      overdue: 'Overdue', candidates: 'Candidate grids', share: 'Share', category: 'Category', distance: 'Distance', actions: 'Actions', channel: 'Channel',
    },
    claim: 'Claim for {grid}', claimed: 'Claimed: {grid} handles it', best: 'most likely',
    empty: 'No cases', refresh: 'Refresh', open: 'Open',
  },
  consoleSearch: {
    title: 'Search cases', text: 'Number, title or description', status: 'Status', tier: 'Colour', category: 'Category (E01 / E0101)', grid: 'Grid code',
    channel: 'Channel', period: 'Reported', from: 'From', to: 'To', sort: 'Sort', newest: 'Newest', due: 'Soonest due',
    search: 'Search', reset: 'Reset', export: 'Export Excel', total: '{n} cases',
  },
  consoleCase: {
    back: 'Back', basics: 'Details', category: 'Category', grid: 'Grid', channel: 'Channel', reportedAt: 'Reported', reporter: 'Reporter',
    phone: 'Phone', reveal: 'Show in full', revealReason: 'Why (written to the audit trail)', revealed: 'In full (audited)',
    assignee: 'Assignee', dueAt: 'Due', overdue: 'Overdue', supervision: 'Supervision', supervisionDue: 'Supervision due', parkedUntil: 'Review on',
    mergedInto: 'Merged into', rating: 'Rating', description: 'Description', map: 'Location', photos: 'Photos', noPhotos: 'No photos',
    timeline: 'History', chainIntact: 'Audit chain intact', chainBroken: 'Audit chain broken: records may have been changed', duplicates: 'Possible duplicates nearby',
    mediations: 'Mediations', decisions: 'Meeting decisions', actions: 'Actions', noActions: 'Nothing for you to do now',
    conflict: 'Someone else just changed this case; it was reloaded, please check and try again', done: 'Done: {action}', version: 'Version',

  },
  consoleAction: {
    accept: 'Accept', reject: 'Reject', assign: 'Dispatch', 'start-handling': 'Start handling', 'record-handled': 'Report result', verify: 'Verify', evaluate: 'Evaluate',
    close: 'Close', return: 'Return', transfer: 'Transfer', escalate: 'Escalate', park: 'Park', resume: 'Resume', reopen: 'Reopen', merge: 'Merge',
    'record-mediation': 'Mediation record', 'record-meeting-decision': 'Meeting decision', supervise: 'Supervise', 'hand-to-district': 'Hand to district',
  },
  consoleForm: {
    photos: 'Photos of the result (up to 9)',
    toPerson: 'To a person', toDepartment: 'To a department', department: 'Department',
    reason: 'Reason', assignee: 'Assignee', assigneeHint: 'People of this grid and above', due: 'Due (empty: from the category time limit)', note: 'Note',
    passed: 'Passed', rating: 'Rating', comment: 'Comment', toGrid: 'To grid', teach: 'Route future reports about this building/compound/address there',
    reviewOn: 'Review on', into: 'Merge into', participants: 'Participants (Enter to add)', heldOn: 'Held on', place: 'Place', outcome: 'Outcome',
    superviseDue: 'Deadline', summary: 'Summary', confirmText: 'Really "{action}"?',
    required: 'Please fill in: {what}', submit: 'Submit', cancel: 'Cancel',
  },
  consoleMeeting: {
    title: 'Joint meeting record', agenda: 'Blue cases waiting', none: 'No blue cases waiting', meetingTitle: 'Title', heldAt: 'Held at',
    place: 'Place', participants: 'Participants (Enter to add)', summary: 'Minutes', decision: 'Decision', decisionHint: 'Decision on this case (empty: not discussed)',
    save: 'Save the record', saved: 'Saved; decisions recorded on {n} cases', past: 'Past meetings', cases: 'Cases',
  },
  consoleEntry: {
    title: 'Phone / walk-in entry', callerName: 'Caller name', phone: 'Phone', place: 'Address (compound, building or number)', placeHint: 'Type a compound, building or address',
    picked: 'Chosen: {address}', category: 'Category', description: 'Description', duplicates: 'Same kind of case open nearby (tell the caller)',
    noDuplicates: 'No similar open case nearby', submit: 'Register (Enter)', submitting: 'Registering…', done: 'Registered, case number', another: 'Register another',
    missing: 'Please add: {what}', receiver: 'Handled by: {name}',
  },
  consoleChannel: {
    'resident-app': 'Resident app', 'grid-patrol': 'Grid worker report', 'property-staff': 'Property staff', 'staff-entry': 'Staff entry', sensor: 'Sensor',
    hotline12345: '12345 hotline', open311: 'Open311',
  } satisfies Record<CaseChannel, string>,
  map: {
    title: 'Grid map', tree: 'Grids', points: '{n} case points', openCases: 'Open cases', validation: 'Grid validation problems', validationCount: '{n} problems',
    loading: 'Loading map data…', onlyOpen: 'Open only', legend: 'Darker means more open cases',
  },
  assessment: {
    title: 'Five stars',
    isProvisional: 'Provisional', isPublished: 'Published',
    provisional: 'Provisional scores computed for grids from the platform\'s records; every indicator opens the records behind it. Indicators whose sources are not connected yet score nothing and keep a grid unrated; the result becomes final only after the resident council, deliberation and publication.',
    month: '{month}/{year}', quarter: 'Q{quarter} {year}', year: 'Year {year}',
    levels: { 'grid-2': '2nd-level grids', 'grid-3': '3rd-level grids', micro: 'Micro-grids' },
    rank: 'Rank', grid: 'Grid', stars: 'Stars', score: 'Score', missing: 'Not connected', missingCount: '{n} not connected',
    notRated: 'Not rated', empty: 'No grid to assess in this period', scoreIs: 'Score {score} of 100',
    missingExplained: '{n} indicators have no connected source yet; they score and weigh nothing, and this grid is not rated:',
    indicator: 'Indicator', value: 'Value', fraction: 'Numerator / denominator', target: 'Target', points: 'Points / weight', note: 'Note',
    met: 'Met', notMet: 'Not met', clickForEvidence: 'Click an indicator to see every record counted in it.',
    evidenceOf: 'Numerator: {numerator}; denominator: {denominator}.', noRecords: 'No record counts in this indicator this period',
    case: 'Case number', counted: 'In numerator', yes: 'Yes', no: 'No',
    charts: {
      distribution: 'Stars', trend: 'Recent periods', gridsCount: 'Grids', notRated: 'Not rated', starN: '{n} stars',
      average: 'Average score of rated grids', highShare: 'Four stars or more (%)', selected: '{name} score', loading: 'Computing each period…',
    },
  },
  assessmentRuns: {
    run: 'Assessment run', none: 'No run stored for this period and level yet; once the operations centre computes one, it can be deliberated.', compute: 'Compute and store', recompute: 'Recompute',
    status: 'Status', catalogueVersion: 'Catalogue version {v}', computedAt: 'Computed {at}', asOf: 'Data as of {at}', digest: 'Input digest',
    subjects: '{n} subjects', periodOpen: 'Period not ended (provisional)', open: 'Open the deliberation page',
    statuses: {
      provisional: 'Provisional', 'council-open': 'Council evaluating', 'council-closed': 'Council evaluation closed', 'community-reviewed': 'Communities reviewed',
      'subdistrict-approved': 'Subdistrict approved', published: 'Published',
    },
    actionNames: {
      compute: 'Computed', 'open-council': 'Council evaluation opened', 'close-council': 'Council evaluation closed', 'record-review': 'Review meeting recorded', adjust: 'Indicator adjusted',
      'approve-community': 'Community approved', 'approve-subdistrict': 'Subdistrict approved', publish: 'Published',
    },
    buttons: {
      compute: 'Recompute', 'open-council': 'Open council evaluation', 'close-council': 'Close council evaluation', 'record-review': 'Record review meeting', approve: 'Approve',
      publish: 'Publish', verify: 'Verify',
    },
    confirmPublish: 'Once published the result is frozen and can only be corrected by appeal. Publish?', done: 'Done: {what}',
    verify: {
      title: 'Verification', same: 'Unchanged', changed: 'Changed', stored: 'Digest when stored', current: 'Digest now', subject: 'Subject', indicator: 'Indicator',
      record: 'Record', kind: 'Change', before: 'Stored', after: 'Now', value: '(indicator value)',
      kinds: { added: 'Added', removed: 'Removed', changed: 'Changed' },
    },
    page: {
      title: 'Assessment deliberation', back: 'Back to five stars', nextStep: 'Next step', communities: 'Communities', approved: 'Approved', waiting: 'Waiting',
      history: 'Full record', by: 'By', at: 'When', note: 'Note', reviews: 'Review meetings', noReviews: 'No review meeting yet',
      stages: { community: 'Community review', subdistrict: 'Subdistrict review' }, adjustments: 'Adjustments', noAdjustments: 'No adjustments',
      results: 'Stored results', grid: 'Grid', stars: 'Stars', score: 'Score', notRated: 'Not rated',
    },
    form: {
      title: 'Record review meeting', meetingTitle: 'Meeting title', heldAt: 'Held at', place: 'Place', participants: 'Participants', participantsHint: 'Type a name and press Enter to add',
      summary: 'Minutes', adjustments: 'Adjustments (optional)', addAdjustment: 'Add an adjustment', subject: 'Subject', indicator: 'Indicator',
      numerator: 'New numerator (or value)', denominator: 'Denominator', reason: 'Reason', remove: 'Remove', submit: 'Record meeting', cancel: 'Cancel',
      before: 'Was {value}', scoreChange: 'Score {before} → {after}', required: 'Please fill in the title, time, place and participants.',
    },
  },
  assessmentCatalogue: {
    title: 'Indicator catalogue', back: 'Back to five stars', versions: 'Versions', version: 'Version {v}', effectiveFrom: 'Effective from', inForce: 'In force',
    createdBy: 'Changed by', createdAt: 'Changed at', changes: 'Changes', note: 'Note', seed: 'Initial version', view: 'View',
    indicators: 'Indicators', code: 'Code', name: 'Name', group: 'Star', weight: 'Weight', target: 'Target', zeroAt: 'Zero at', unit: 'Unit',
    groups: { governance: 'Governance', service: 'Service', mediation: 'Mediation', patrol: 'Patrol', team: 'Team' },
    thresholds: 'Star thresholds (2/3/4/5 stars)', council: 'Council: quorum {q}, {p}% dropped at each end',
    newVersion: 'New version', newHint: 'A new version starts from the latest and can only take effect after every published period; change only what needs changing.',
    effectiveFromHint: 'e.g. 2027-01, 2027-Q1 or 2027', save: 'Save new version', saved: 'Version {v} saved', cancel: 'Cancel', noChanges: 'Nothing changed yet',
  },
  patrols: {
    open: 'Patrols', patrolN: '#{n}',
    period: { today: 'Today', week: 'This week', month: 'This month', range: 'Dates' },
    trackDay: 'Tracks of', legend: { notWalked: 'Nobody walked', walked: 'Walked; darker means longer ({from}–{to}+ min)', track: 'Patrol track (click to open)' },
    detail: {
      title: 'Patrol', back: 'Back', failed: 'The patrol could not be read', workerGrid: "Worker's grid", started: 'Started', ended: 'Ended', status: 'Status',
      statuses: { open: 'On patrol', closed: 'Ended' }, endedBySystem: 'Not ended by the walker; the system ended it at its last point the next day', walked: 'Walked', vehicle: 'By vehicle (not counted)', km: '{km} km', minutes: '{n} min',
      fromPhone: 'Counted by the phone', estimated: 'Estimated from distance', points: 'Positions', pointCount: '{n} ({dropped} too inaccurate, left out)', track: 'Track',
      kinds: { walked: 'On foot', vehicle: 'Vehicle', jump: 'GPS jump', gap: 'No signal' }, noTrack: 'No track yet',
      grids: 'Time per grid', noGrids: 'No grid walked', cases: 'Problems reported on the way', noCases: 'No problem reported on the way', caseNumber: 'Case',
      caseTitle: 'Problem', reportedAt: 'Reported',
    },
    title: 'Patrols and coverage', from: 'From', to: 'To', level: 'Grid level', micro: 'Micro-grids', third: 'Third-level grids', refresh: 'Search',
    coverage: 'Coverage', share: '{walked} of {total} grids walked ({percent}%)', goal: 'Weekly goal {percent}%', goalMet: 'Met', goalMissed: 'Not met',
    notWalked: 'Grids nobody walked', allWalked: 'Every grid was walked in the period', grid: 'Grid', code: 'Code', minutes: 'Time (min)', meters: 'Distance (m)',
    patrolCount: 'Patrols', workerCount: 'People', days: "Workers' days", worker: 'Worker', day: 'Date', distance: 'Walked (m)', steps: 'Steps',
    goalColumn: 'Step goal met', gridsWalked: 'Grids walked', export: 'Export Excel', yes: 'Yes', no: 'No', empty: 'No patrols in the period',
    mapLayer: 'Patrol tracks', mapCoverage: 'Coverage', tracks: '{n} tracks',
  },
};
export default en;
