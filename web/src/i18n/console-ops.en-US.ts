import type zh from './console-ops.zh-CN';
import type { Delivery, DeviceKind, ReferralStatus } from '@/shared/contract';

const en: typeof zh = {
  consoleDevice: {
    title: 'Devices', alarmTypes: 'Alarm types', kind: 'Kind', state: 'State', count: '{n} devices', register: 'Register device', code: 'Device code',
    codeHint: 'Letters, digits, "-" or "_", e.g. SMK-0001', name: 'Name / place', nameHint: 'e.g. stairwell smoke detector, building 3', model: 'Make and model', owner: 'Kept by',
    position: 'Position (lon, lat)', lon: 'Longitude', lat: 'Latitude', pickHint: 'Type WGS-84 lon/lat or click on the map below', lastHeartbeat: 'Last heartbeat',
    registeredAt: 'Registered', never: 'Never', retirement: 'Retired', cases: 'Cases it raised', noCases: 'No cases',
    replaceSecret: 'Issue new secret', retire: 'Retire device', retireTitle: 'Retire device {code}', retireReason: 'Reason (required, e.g. dismantled, replaced)',
    retireWarning: 'A retired device\'s alarms and heartbeats are refused and it raises no offline cases; it stays in the registry with who retired it, when and why. This cannot be undone.',
    retiredDone: 'Device {code} retired', secretTitle: 'Signing secret of {code}', copy: 'Copy secret', copied: 'Copied to the clipboard', copyFailed: 'Could not copy; select and copy it by hand',
    secretWarning: 'The secret is shown only this once. Copy it into the device now; if it is lost, issue a new one (the old one stops working).', secretStored: 'I have stored it',
    kinds: { 'smoke-detector': 'Smoke detector', 'water-level-sensor': 'Water level', 'manhole-cover-sensor': 'Manhole cover', camera: 'Camera', speaker: 'Outdoor speaker', other: 'Other' } satisfies Record<DeviceKind, string>,
    states: { online: 'Online', offline: 'Offline', never: 'Never reported', retired: 'Retired' },
    alarmHint: 'the subcategory each device alarm type opens', addAlarmType: 'Add alarm type', editAlarmType: 'Edit alarm type {code}', alarmCode: 'Code',
    alarmName: 'Name', categoryInactive: 'retired subcategory', updatedAt: 'Changed', edit: 'Edit', save: 'Save', alarmSaved: 'Alarm type {code} saved',
  },
  consoleHotline: {
    import: 'Import 12345 orders', file: 'Order file (.xlsx / .csv)', mapping: 'Column mapping', mode: 'Mode', allOrNothing: 'All or nothing (default)',
    goodRows: 'Import the good rows', upload: 'Upload and import', noFile: 'Choose a file first',
    summary: '{rows} rows: {created} created, {updated} updated, {unchanged} unchanged, {failed} with errors', stored: 'stored', notStored: 'nothing imported',
    row: 'Row', orderNumber: 'Order number', outcome: 'Outcome', error: 'Error', outcomes: { created: 'created', updated: 'updated', unchanged: 'unchanged', failed: 'error' },
    export: 'Export status and replies (back to the hotline)', exportXlsx: 'Export Excel', exportCsv: 'Export CSV (UTF-8)', exportGb18030: 'Export CSV (GB18030)',
    exportHint: 'Orders of your scope by Beijing reporting date; choose GB18030 for older hotline software on Windows.',
    mappings: 'Column mappings', mappingName: 'Name', columnsLabel: 'Columns', categoryTable: 'Category table', entries: 'entries', addMapping: 'Add mapping',
    editMapping: 'Edit mapping {name}', hotlineCategory: 'Hotline category', ourCategory: 'Subcategory', addPair: 'Add entry', fallback: 'Fallback subcategory',
    mappingSaved: 'Mapping {name} saved',
    columns: {
      orderNumberColumn: 'Order number column', calledAtColumn: 'Call time column', callerNameColumn: 'Caller column', phoneColumn: 'Phone column', addressColumn: 'Address column',
      contentColumn: 'Content column', categoryColumn: 'Category column',
    },
  },
  consoleDistrict: {
    title: 'District hand-offs', all: 'All', none: 'No hand-offs', summary: 'Summary', handedAt: 'Handed over', referralStatus: 'Status', delivery: 'Delivery',
    attempts: 'Attempts', next: 'Next attempt', error: 'Error', retryNow: 'Retry now', retried: 'An attempt is due now', deliveryLog: 'Delivery to the district',
    nextAttempt: 'next attempt {at}', retryRequested: '{by} asked for a retry at {at}', noWebhook: 'No district webhook configured; the district works in this console',
    noAttempts: 'Not attempted yet', attempt: '#', attemptedAt: 'Time', httpStatus: 'HTTP status', result: 'Result', ok: 'OK', failed: 'Failed', duration: 'Duration',
    deliveries: { none: 'no webhook', pending: 'retrying', sent: 'delivered', failed: 'given up', held: 'held', refused: 'refused by rule' } satisfies Record<Delivery, string>,
    status: { pending: 'Pending', delivered: 'Delivered', accepted: 'Accepted', replied: 'Replied', closed: 'Closed' } satisfies Record<ReferralStatus, string>,
  },
};

export default en;
