import type { BroadcastTargetKind, DeliveryState } from '@/shared/contract';
export default {
  broadcast: {
    gridsSelect: 'or choose grids by name',
    title: 'Emergency broadcast', compose: 'New broadcast', log: 'Broadcast log', none: 'No broadcasts yet', refresh: 'Refresh',
    autoRefresh: 'Some recipients have not confirmed; refreshing every 3 s', modeGrids: 'Pick grids', modeArea: 'Draw an area',
    gridsHint: 'Click grids on the map to select or unselect them ({n} selected)', areaHint: 'Click the corners of the area on the map ({n} so far, at least 3)',
    clearArea: 'Redraw', clearGrids: 'Clear selection', text: 'Message', textHint: 'Speakers read it by text to speech; at most {max} characters',
    repeat: 'Repetitions', urgent: 'Urgent (interrupts what the speakers play)', preview: 'Preview recipients', previewTitle: 'Recipients',
    previewCounts: '{speakers} speakers and {workers} grid workers will receive it', retired: '{n} retired speakers will not: {names}',
    speakers: 'Speakers', workers: 'Grid workers', grids: 'Grids', send: 'Send broadcast', confirmTitle: 'Send the emergency broadcast?',
    confirmText: 'This goes to {speakers} speakers and {workers} grid workers and cannot be recalled:', sent: 'Broadcast sent; follow the recipients in the log below',
    pickFirst: 'Pick grids or draw an area first', textFirst: 'Type the message', tooLong: 'Longer than {max} characters: speakers cannot read it',
    sender: 'Sender', sentAt: 'Sent at', content: 'Message', area: 'Area', receivers: 'Recipients', acknowledged: 'Confirmed', failed: 'Failed', waiting: 'Waiting',
    detail: 'Broadcast', target: 'Recipient', kind: 'Kind', grid: 'Grid', state: 'State', attempts: 'Sends', stateAt: 'Time', error: 'Note',
    ackAt: 'confirmed {at}', sentAtShort: 'sent {at}', failedAt: 'failed {at}', repeatTimes: 'read {n}×', urgentTag: 'Urgent', drawnArea: 'Drawn area',
    kinds: { speaker: 'Speaker', worker: 'Grid worker' } satisfies Record<BroadcastTargetKind, string> as Record<string, string>,
    states: { pending: 'Pending', sent: 'Sent', acknowledged: 'Confirmed', failed: 'Failed' } satisfies Record<DeliveryState, string> as Record<string, string>,
    mine: { title: 'Emergency broadcasts', empty: 'No emergency broadcasts', ack: 'Got it', acked: 'Confirmed {at}', from: 'from {name}', done: 'Confirmed', outstanding: '{n} to confirm' },
  },
};
