// Messages of the resident's own pages (phone), English; see resident.zh-CN.ts.
export default {
  resident: {
    receipt: {
      title: 'We have your report', number: 'Case number (please keep it)', expected: 'Expected to be handled by {time}',
      owner: 'Passed to {owner}', next: 'What happens next', step1: 'Staff accept it and send someone; the progress shows in “My reports”.',
      step2: 'When it is handled, look at the result and rate it; if it is not fixed, say so.', step3: 'Until it is accepted you can withdraw it.',
      tokenKept: 'This phone keeps the follow code: you can follow it without signing in.',
    },
    phonePlaceholder: 'Your phone number (optional)',
    nearbyLink: 'Reports near me', elder: 'Large text', elderHint: 'Bigger text and buttons',
    track: {
      steps: { reported: 'Reported', accepted: 'Accepted', handling: 'Handling', handled: 'Handled', done: 'Closed' } as Record<string, string>,
      expected: 'Expected to be handled by {time}', overdue: 'Past the expected time', result: 'Result', unit: 'Handled by: {unit}', handledAt: 'Handled at: {time}',
      photos: 'Photos', resultPhotos: 'Photos after handling', timeline: 'History', yourComment: 'Your comment: {comment}',
      verify: 'Is the problem solved?', solved: 'Solved', notSolved: 'Not solved', notSolvedReason: 'What is still wrong?',
      rate: 'Rate the result', comment: 'Comment (optional)', commentPlaceholder: 'e.g. handled quickly', send: 'Send rating', rated: 'Your rating: {n} stars',
      supplement: 'Add information', supplementHint: 'Anything else staff should know? A few words or photos.', supplementPlaceholder: 'What would you like to add?',
      addPhoto: 'Add photo', supplementSend: 'Send', supplemented: 'Added; staff will see it',
      chase: 'Chase', chaseHint: 'You can chase after 3 days or past the expected time, once a day.', chaseAt: 'You can chase after {time}', chased: 'Chased; staff have been reminded',
      withdraw: 'Withdraw', withdrawHint: 'You can withdraw until staff accept it.', withdrawTitle: 'Why withdraw?', withdrawSend: 'Withdraw', withdrawn: 'Withdrawn',
      withdrawReasons: ['It is solved already', 'Wrong place or category', 'I reported it twice', 'Another reason'],
      withdrawOther: 'Please give the reason', cancel: 'Cancel', notMine: 'Only the person who reported it can act on it.',
      missing: 'Please write a few words or add a photo',
      stars: '{n} stars',
    },
    nearby: {
      title: 'Reports near me', intro: 'Problems reported within 1 km in the last 30 days. For privacy, places are approximate; no descriptions or photos.',
      empty: 'Nothing reported nearby lately', resolved: 'Handled', open: 'In progress', within: 'within {n} m', reportedAt: 'reported {time}', resolvedAt: 'handled {time}',
      total: '{n} in all', more: 'Show more', locating: 'Finding your position…', here: 'You are here', report: 'Report a problem', failed: 'Could not load reports nearby',
    },
  },
};
