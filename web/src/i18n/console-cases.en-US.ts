// English messages of the console's case work (see console-cases.zh-CN.ts).
import type zh from './console-cases.zh-CN';
export default {
  consoleCases: {
    col: { grid: 'Grid', deadline: 'Deadline', assignee: 'Handler', category: 'Category' },
    deadlineKinds: { accept: 'Accept', handle: 'Handle', supervision: 'Supervision', review: 'Review' } as Record<string, string>,
    overdueBy: '{d} overdue', left: '{d} left', days: '{n}d', hours: '{n}h', minutes: '{n}min',
    legend: 'Colours', tiers: {
      green: { name: 'Green', owner: 'Grid', text: 'handled by the grid leader' },
      yellow: { name: 'Yellow', owner: 'Community', text: 'joint mediation by the community' },
      blue: { name: 'Blue', owner: 'Subdistrict', text: 'operations centre, joint meeting' },
      red: { name: 'Red', owner: 'District', text: 'handed to district departments' },
    } as Record<string, { name: string; owner: string; text: string }>,
    all: 'View all ({n})', openHint: 'Click a row or press Enter to open the case', total: '{n} cases',
    pageSize: 'Per page', jump: 'Go to page',
    sortByDeadline: 'By deadline', sortNewest: 'Newest first',
    next: 'Next case', nextNone: 'No next case in this queue', nextOf: 'Next ({queue})', more: 'More', primary: 'Next step',
    print: 'Print work order', log: 'Work log', actor: 'By', systemActor: 'System',
    deadline: 'Deadline', acceptBy: 'Accept by', handleBy: 'Handle by', reviewBy: 'Review on', supervisionBy: 'Supervision due', noDeadline: '—',
    assigneeNone: 'Not assigned yet', deadlineNone: 'No deadline at this stage',
    steps: {
      accept: 'Check it and accept, or refuse with a reason', assign: 'Give it to a person or department with a deadline', 'start-handling': 'Start handling on site',
      'record-handled': 'Report the result with photos', verify: 'Verify the result', close: 'Close the case', resume: 'Resume the parked case',
      'hand-to-district': 'A red case is handed to the district', 'record-mediation': 'A yellow case needs a mediation record', evaluate: 'Rate the result',
    } as Record<string, string>,
    order: {
      title: 'Work order', number: 'Case number', category: 'Category', tier: 'Colour', status: 'Status', place: 'Place', address: 'Address',
      grid: 'Grid', reported: 'Reported', channel: 'Channel', reporter: 'Reporter', description: 'Description', photos: 'Photos',
      deadline: 'Deadline', assignee: 'Handler', log: 'Work log', printedAt: 'Printed {at}', printedBy: 'Printed by {name}', back: 'Back to the case',
      print: 'Print', signature: 'Handler signature:', date: 'Date:', noPhotos: 'No photos',
    },
    upload: { add: 'Add photo', hint: 'Up to {n}, JPG/PNG/WebP; click a thumbnail to preview', remove: 'Remove', tooMany: 'At most {n} photos', file: 'Choose file', fileHint: 'Click or drop a file here' },
    pickCategory: 'Pick a category', pickGrid: 'Pick a grid',
    transferTo: 'To grid (by name)',
  },
  consoleDistrictWords: { waiting: 'Waiting', retrying: 'Failed · will retry', stopped: 'Retries stopped', offline: 'Offline hand-over', state: 'Delivery', reason: 'Why', when: 'Time', result: 'Result' },
  consoleOpsText: {
    delivery: {
      sent: 'Delivered to the district', pendingFirst: 'Waiting to be sent', retrying: 'Not delivered; automatic retry at {at}', gaveUp: 'Not delivered; automatic retries stopped. Press "Retry now" or phone the district platform.',
      none: 'No district interface configured: hand it over offline', attemptFailed: 'Failed', attemptOk: 'Delivered', details: 'Technical details (for administrators)',
      reason: { timeout: 'The district system did not answer in time', unreachable: 'The district system cannot be reached', refused: 'The district system refused it ({status})', server: 'The district system failed ({status})', other: 'Not delivered' },
    },
    device: { never: 'Never reported', online: 'Online', offline: 'Offline', silentFor: 'Silent for {d}' },
  },
} satisfies typeof zh;
