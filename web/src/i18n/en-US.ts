import type zh from './zh-CN';

const en: typeof zh = {
  app: { name: 'Grid Governance Platform', short: 'Snap & Report', language: '中文' },
  login: {
    title: 'Sign in', userName: 'Account', password: 'Password', submit: 'Sign in', failed: 'Sign-in failed',
    anonymous: 'Report without an account', logout: 'Sign out', hello: 'Hello, {name}',
  },
  nav: { report: 'Report', mine: 'My reports', tasks: 'Tasks', login: 'Sign in' },
  report: {
    title: 'Report a problem',
    photos: 'Take or choose photos', photosHint: 'Up to 9, compressed automatically', addPhoto: 'Camera / photos', removePhoto: 'Remove',
    photoRequired: 'This kind of problem needs at least one photo',
    where: 'Where', locating: 'Finding your position…', locate: 'Use my position', locateFailed: 'No position: pick it on the map',
    receiver: '{name} will receive it', outside: 'This place is outside our grids', ambiguous: 'You are near a boundary: which side of the street?',
    sideChosen: 'Chosen: the {name} side', openMap: 'Adjust on the map', closeMap: 'Hide the map', mapHint: 'Drag the red dot to the problem',
    accuracy: 'Accurate to about {m} m',
    what: 'What is it', back: 'Choose another group',
    describe: 'Describe it', describePlaceholder: 'e.g. the street light is out', speak: 'Speak', listening: 'Listening…',
    phone: 'Phone (optional, so we can call you)',
    duplicates: 'Someone nearby already reported this', duplicateFollow: 'No need, it is already reported', stillReport: 'Mine is different, go on',
    submit: 'Send', submitting: 'Sending…',
    queued: 'Weak network: saved on this phone, it will be sent when online (never twice)', queueCount: '{n} reports waiting for the network',
    failed: 'Not sent: {reason}',
    done: 'Received!', number: 'Case number', keep: 'Keep the number; follow it under "My reports"',
    another: 'Report another', toMine: 'My reports', missing: 'Please add: {what}',
  },
  mine: {
    title: 'My reports', empty: 'No reports yet', status: 'Progress', reportedAt: 'Reported', open: 'Progress',
    rate: 'Rate the result', rated: 'Your rating: {n} stars', rateDone: 'Thank you', pending: 'Waiting for the network',
    timeline: 'What happened', refresh: 'Refresh',
  },
  tasks: { title: 'Tasks today', empty: 'No tasks', report: 'Patrol report', open: 'Open', due: 'Due' },
  caseStatus: {
    Reported: 'Reported', Accepted: 'Accepted', Rejected: 'Rejected', Assigned: 'Assigned', InHandling: 'In handling', Handled: 'Handled',
    Verified: 'Verified', Evaluated: 'Evaluated', Closed: 'Closed', Parked: 'Parked', Merged: 'Merged',
  },
  tier: { Green: 'Green', Yellow: 'Yellow', Blue: 'Blue', Red: 'Red' },
  common: { retry: 'Retry', cancel: 'Cancel', confirm: 'OK', loading: 'Loading…', error: 'Error', offline: 'Offline' },
};
export default en;
