import type { CouncilMemberKind } from '@/shared/contract';
export default {
  council: {
    kinds: { 'courtyard-head': 'Courtyard head', 'party-deputy': 'Party deputy', 'peoples-deputy': "People's deputy", 'cppcc-member': 'CPPCC member', 'resident-representative': 'Residents\' representative' } satisfies Record<CouncilMemberKind, string> as Record<string, string>,
    title: 'Resident council evaluation', members: 'Members', assignments: 'Assignments', progress: 'Progress', period: 'Period', periodHint: 'e.g. 2026-Q4, 2026-11',
    status: { serving: 'Serving', ended: 'Ended', all: 'All' }, name: 'Name', kind: 'Kind', phoneNumber: 'Phone', community: 'Community', home: 'Home grid', compound: 'Compound',
    term: 'Term', termFrom: 'Term from', termTo: 'Term to', serving: 'Serving', ended: 'Ended', add: 'Add member', homeGrid: 'Grid they live in', save: 'Save', cancel: 'Cancel',
    saved: 'Saved', signInCode: 'Sign-in QR', signInCodeTitle: 'Sign-in QR for {name}', signInCodeHint: 'Scan with the member\'s phone before {time}; it works once, no password needed.',
    endTerm: 'End term', endTermTitle: 'End the term of {name}', reason: 'Reason', endOn: 'Last day off', endHint: 'The member\'s phone account is closed at once; their record stays.',
    assignByCompound: 'Assign by compound', assignByCompoundDone: '{created} assigned now, {already} already assigned', assign: 'Assign', member: 'Member', grids: 'Grids',
    grid: 'Grid', scored: 'Scored', notScored: 'Not yet', withdraw: 'Withdraw', withdrawn: 'Withdrawn', assignedAt: 'Assigned',
    window: 'Open {from} to {to}', open: 'Open', closed: 'Not open', quorum: 'Quorum {n}; {share}% trimmed at each end',
    assigned: 'Assigned', scoredCount: 'Scored', quorate: 'Quorate', notQuorate: 'Short of quorum', score: 'Score', phrases: 'Phrases chosen',
    privacy: 'Counts and the tally only, never who gave what; the evaluated grid\'s own staff cannot open this page.', none: 'Nothing yet',
    activities: {
      title: 'Branch activities', add: 'Record activity', grid: 'Branch grid', heldOn: 'Held on', activityTitle: 'Title', participants: 'Participants', note: 'Notes',
      photos: 'Evidence', counts: 'Counts', notCounted: 'No evidence yet', upload: 'Upload photo / sign-in sheet', uploaded: 'Uploaded', recordedBy: 'Recorded by',
      hint: 'An activity counts for the branch-activities indicator once it has a photo or sign-in sheet.',
    },
    phone: {
      title: 'Council evaluation', hello: 'Hello, {name}', intro: 'Tap the stars for each grid, pick a few phrases if you like, then submit.', closesOn: 'You may change it until {date}',
      submit: 'Submit', change: 'Change', submitted: 'Submitted, thank you!', done: 'Scored', phrases: 'Anything to say (optional, up to 3)', none: 'No grid to evaluate now',
      notMember: 'You are not a serving council member.', signIn: 'Please sign in with the QR code community staff show you.', starsLeft: 'Some rows have no stars yet',
    },
  },
};
