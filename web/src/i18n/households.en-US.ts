import type { CareKind, NeedKind, Occupancy, VisitOutcome } from '@/shared/contract';
export default {
  households: {
    occupancy: { 'owner-occupied': 'Owner-occupied', rented: 'Rented', vacant: 'Vacant' } satisfies Record<Occupancy, string> as Record<string, string>,
    care: {
      'living-alone-elderly': 'Elderly living alone', disabled: 'Disabled', 'low-income': 'Low income', destitute: 'Destitute', 'left-behind-child': 'Left-behind child',
      'seriously-ill': 'Seriously ill',
    } satisfies Record<CareKind, string> as Record<string, string>,
    outcomes: { visited: 'Visited', 'nobody-home': 'Nobody home', refused: 'Refused' } satisfies Record<VisitOutcome, string> as Record<string, string>,
    needs: {
      'elderly-care': 'Elderly care', health: 'Health', repair: 'Repairs', legal: 'Legal help', assistance: 'Assistance', companionship: 'Companionship', other: 'Other',
    } satisfies Record<NeedKind, string> as Record<string, string>,
    register: {
      title: 'Households', tabRegister: 'Register', tabVisits: 'Visits', tabWeek: 'This week', building: 'Building', buildingCode: 'Building code', compound: 'Compound',
      unit: 'Unit', room: 'Room', occupancyLabel: 'Occupancy', careLabel: 'Care', residents: 'Residents', search: 'Full name or phone', all: 'All',
      count: '{n} households', name: 'Name', idNumber: 'ID number', phone: 'Phone', age: 'Age', reveal: 'Show in full', revealTitle: 'Resident in full',
      reason: 'Reason (required, audited)', revealHint: 'Shown once in this window only.', confirm: 'OK', cancel: 'Cancel',
      import: 'Excel import', template: 'Template', export: 'Export Excel (masked)', partial: 'Import good rows only', upload: 'Upload', noFile: 'Choose a file first',
      summary: '{rows} rows: {created} households created, {updated} updated, {added} residents added, {failed} rows with errors', notStored: 'Nothing imported',
      row: 'Row', column: 'Column', message: 'Problem', roomsOnly: 'You see households by room only (no names).', noIdNumbers: 'Your role sees no ID numbers.',
      add: 'Register household', basis: 'Basis',
    },
    visits: {
      visitor: 'Visitor', time: 'Time', outcome: 'Outcome', distance: 'From building', far: 'Far away', findings: 'Findings', notes: 'Notes', caseLink: 'Case {n}',
      from: 'From', to: 'To', weekOf: '{start} to {end}', minimum: 'Minimum {n} a week', behindCount: '{n} behind', role: 'Role', department: 'Department',
      done: 'Visits', counted: 'Counted', behind: 'Behind', ok: 'Done', notApplicable: '—', meters: '{n} m',
    },
    phone: {
      title: 'Door-knocking', myWeek: '{n} doors this week', minimum: 'At least {n} a week', behind: 'Not done yet this week', done: 'Done this week',
      pickBuilding: '1. Building', pickUnit: '2. Unit', pickRoom: '3. Room', outcome: '4. How did it go', unitN: 'Unit {n}', findings: 'What did you find',
      problem: 'Found a problem: file a case', problemKinds: 'Kind of problem', problemText: 'What is wrong', note: 'Note (optional)', submit: 'Save the visit',
      saved: 'Visit saved', caseFiled: 'Filed as case {n}', again: 'Next door', back: 'Back', noBuildings: 'No households registered in your area yet.',
      households: '{n} households', vacant: 'Vacant', locating: 'Locating…', noPosition: 'No position; saving anyway', pickOutcome: 'Choose how it went first', photo: 'Take a photo (optional)', photoSaved: 'Photo saved',
    },
  },
};
