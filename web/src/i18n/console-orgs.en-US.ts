import type zh from './console-orgs.zh-CN';
import type { OrganisationKind } from '@/shared/contract';

const en: typeof zh = {
  consoleOrg: {
    title: 'Organisations', add: 'New organisation', edit: 'Edit', kind: 'Kind', name: 'Name', code: 'Code', codeHint: 'Optional: generated when empty, or a unified social credit code',
    scope: 'Serves', scopeHint: 'Pick from the grid tree (type a name to search)', parent: 'Parent department', noParent: 'None (top department)', phone: 'Contact phone', phoneHint: 'e.g. 029-87654321',
    redProperty: 'Red property', compounds: 'Compounds served', compoundsHint: 'Pick the compounds this company serves (type to search)', compound: 'Compound',
    state: 'State', active: 'In service', retired: 'Retired', retiredAt: 'retired {at}', includeRetired: 'Show retired', search: 'Name or code', count: '{n} in all',
    none: 'None', save: 'Save', cancel: 'Cancel', saved: 'Saved "{name}"', created: 'Added "{name}"',
    retire: 'Retire', reinstate: 'Reinstate', retireConfirm: 'Once "{name}" is retired it is no longer offered for dispatches or new accounts; existing cases keep its name. Retire it?',
    reinstateConfirm: 'Put "{name}" back in service for dispatches and new accounts?', retiredDone: '"{name}" retired', reinstatedDone: '"{name}" reinstated',
    liaisons: 'Liaisons', liaisonsOf: '{name} · liaisons', noLiaisons: 'No liaisons yet (the security admin creates their accounts and links them to the department)', liaison: 'Name',
    currentGrids: 'Sunk into', history: 'Earlier', setGrids: 'Set grids', gridsOf: 'Grids of {name}', grids: '3rd-level grids', gridsHint: 'Only 3rd-level or dedicated grids',
    from: 'From', fromHint: 'Grids left out end the day before', since: 'since {from}', until: '{from} to {to}', accountInactive: 'account deactivated', dedicated: '{name} (dedicated grid)',
    kinds: {
      department: 'Department', 'property-company': 'Property company', 'owners-committee': "Owners' committee", 'public-unit': 'Public unit', alliance: 'Business alliance',
    } satisfies Record<OrganisationKind, string>,
  },
};
export default en;
