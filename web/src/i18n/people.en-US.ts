// English messages of the roster, training and work ID pages (see people.zh-CN.ts).
import type zh from './people.zh-CN';
export default {
  people: {
    kinds: { 'full-time-worker': 'Full-time grid worker', 'community-cadre': 'Community cadre', 'micro-volunteer': 'Micro-grid volunteer', 'sunk-staff': 'Department staff', 'grid-leader': 'Grid leader' },
    ageBands: { 'under-40': 'Under 40', '40-59': '40–59', '60-69': '60–69', '70-plus': '70 and over' },
    courseKinds: { policy: 'Policy', 'platform-use': 'Platform use', safety: 'Safety' },
    statuses: { valid: 'Valid', expired: 'Expired', revoked: 'Revoked', 'not-yet-valid': 'Not yet valid' },
    roster: {
      title: 'Grid-worker roster', members: 'Members', vacancies: 'Vacancies', import: 'Excel import', turnover: 'Turnover', kind: 'Kind', grid: 'Grid', status: 'Status',
      active: 'Active', left: 'Left', all: 'All', name: 'Name', phone: 'Phone', ageBand: 'Age', community: 'Community', grids: 'Current grids',
      joinedOn: 'Joined', leftOn: 'Left on', account: 'Account', organisation: 'Organisation', add: 'Add member', count: '{n} people', detail: 'Member',
      history: 'Assignment history', startOn: 'From', endOn: 'To', current: 'current', assign: 'Assign grid', move: 'Move', end: 'End', leave: 'Leaves the roster',
      leaveReason: 'Reason (required)', leaveWarning: 'Every assignment ends and their work IDs are revoked; the record stays for turnover figures.', on: 'Date', pickGrid: 'Pick from the grid tree',
      elder: 'Elder', saved: 'Saved', missing: 'Missing', vacancyCount: '{n} grids with a vacancy', map: 'Vacancy map', level: 'Level',
      levels: { 'grid-3': '3rd-level grid', micro: 'Micro-grid' },
      template: 'Download the template', file: 'Roster file (.xlsx)', partial: 'Import the good rows only', upload: 'Upload and import', noFile: 'Choose a file first',
      summary: '{rows} rows: {created} created, {updated} updated, {unchanged} unchanged, {failed} with errors', stored: 'Saved', notStored: 'Nothing was imported',
      row: 'Row', column: 'Column', message: 'Problem', outcome: 'Outcome', outcomes: { created: 'Created', updated: 'Updated', unchanged: 'Unchanged' },
      quarter: 'Quarter', atStart: 'At start', joined: 'Joined', leftCount: 'Left', atEnd: 'At end', rate: 'Turnover',
      rateHint: 'Turnover = left ÷ average headcount ((start + end) ÷ 2)',
    },
    training: {
      title: 'Training and work IDs', courses: 'Courses', sessions: 'Sessions', workIds: 'Work IDs', courseTitle: 'Title', kind: 'Kind', hours: 'Hours', passMark: 'Pass mark',
      required: 'Required for a work ID', unit: 'Run by', addCourse: 'Add course', addSession: 'Add session', course: 'Course', heldOn: 'Date', place: 'Place', trainer: 'Trainer',
      attendees: 'Attendees', passed: 'Passed', attendance: 'Attendance and scores', attended: 'Attended', score: 'Score', addAttendee: 'Add attendee', save: 'Save',
      eligible: 'Eligible members', eligibleHint: 'Active members who passed every required course and hold no valid work ID', issue: 'Issue work ID', validFrom: 'Valid from', validUntil: 'Valid until',
      number: 'Number', holder: 'Holder', validity: 'Validity', expiringSoon: 'Expires within 30 days', filter: 'Filter', print: 'Print', revoke: 'Revoke', revokeReason: 'Reason (required)',
      photo: 'Upload photo', photoDone: 'Photo updated', issued: 'Work ID {number} issued', none: 'None', missingCourses: 'Not passed: {titles}',
      filters: { all: 'All', valid: 'Valid', expiring: 'Expiring', expired: 'Expired', revoked: 'Revoked' },
    },
    card: {
      title: 'Grid worker ID', issuer: '{name} grid service centre', name: 'Name', kind: 'Role', grid: 'Grid', number: 'Number', validity: 'Valid',
      scan: 'Scan to verify', noPhoto: 'Photo', back: 'Back',
    },
    mine: { title: 'My work ID', none: 'You have no work ID yet; the community issues it after your training.', notOnRoster: 'Your account is not on the grid-worker roster; please ask the community.', show: 'Show this card: scanning the QR code verifies it.', link: 'My work ID' },
    verify: { title: 'Work ID check', valid: 'Valid', expired: 'Expired', revoked: 'Revoked', 'not-yet-valid': 'Not yet valid', unknown: 'Unknown ID', unknownHint: 'This QR code is not a work ID issued by this platform. Take care.', grid: 'Grid', name: 'Name', today: 'Checked on' },
  },
} satisfies typeof zh;
