// Needs, resources and projects, claims and courtyard councils: shared by the console and the phone pages.
import type { Schemas } from '@/api/client';

export default {
  affairs: {
    tabs: { needs: 'Needs', resources: 'Resources', projects: 'Projects', claims: 'Claims', councils: 'Courtyard councils' },
    serviceKind: {
      'elderly-care': 'Elderly care', 'child-care': 'Child care', health: 'Health', repair: 'Repairs', environment: 'Environment', legal: 'Legal help',
      companionship: 'Companionship', employment: 'Employment', 'property-care': 'Property care', assistance: 'Assistance', other: 'Other',
    } satisfies Record<Schemas['ServiceKind'], string>,
    urgency: { low: 'Low', normal: 'Normal', urgent: 'Urgent' } satisfies Record<Schemas['NeedUrgency'], string>,
    needStatus: { open: 'Open', matched: 'Matched', met: 'Met', closed: 'Closed' } satisfies Record<Schemas['NeedStatus'], string>,
    source: { visit: 'Door-knock visit', case: 'Case', council: 'Courtyard council', staff: 'Staff entry' } satisfies Record<Schemas['NeedSource'], string>,
    resourceKind: { volunteer: 'Volunteer', 'party-member': 'Party member', 'public-unit': 'Public unit', 'property-company': 'Property company' } satisfies Record<Schemas['ResourceKind'], string>,
    projectKind: { 'public-service': 'Public service', governance: 'Governance' } satisfies Record<Schemas['ProjectKind'], string>,
    projectStatus: { planned: 'Planned', running: 'Running', completed: 'Completed', cancelled: 'Cancelled' } satisfies Record<Schemas['ProjectStatus'], string>,
    claimerKind: { 'red-property-company': 'Red property company', 'public-unit': 'Public unit', 'party-member': 'Party member' } satisfies Record<Schemas['ClaimerKind'], string>,
    claimTarget: { compound: 'Ownerless compound', need: 'Need', 'case-category': 'Grid affair', 'project-task': 'Project task' } satisfies Record<Schemas['ClaimTarget'], string>,
    councilRole: { resident: 'Resident', 'courtyard-head': 'Courtyard head', property: 'Property', 'owners-committee': 'Owners\' committee', staff: 'Staff' } satisfies Record<Schemas['CouncilRole'], string>,
    followUpKind: { note: 'Note only', need: 'Becomes a need', case: 'Becomes a case' } satisfies Record<Schemas['FollowUpKind'], string>,
    col: {
      raisedAt: 'Raised', place: 'Place', requester: 'Who', phone: 'Phone', kind: 'Kind', urgency: 'Urgency', description: 'Description', source: 'Source', status: 'Status',
      resource: 'Resource', project: 'Met by project', name: 'Name', offers: 'Offers', availability: 'When', grid: 'Grid', matched: 'Needs matched', goal: 'Goal',
      grids: 'Grids', partners: 'Partners', dates: 'Dates', participants: 'Participants', beneficiaries: 'Beneficiaries', needsMet: 'Needs met', compound: 'Compound',
      claimer: 'Claimer', period: 'Period', commitments: 'Commitments', fulfilments: 'Fulfilment', heldOn: 'Held on', topics: 'Topics', decisions: 'Decisions',
      followUps: 'Follow-ups', distance: 'Distance', address: 'Address', currentClaim: 'Claimed by', recordedBy: 'Recorded by',
    },
    all: 'All', export: 'Export Excel', add: 'Add', save: 'Save', cancel: 'Cancel', saved: 'Saved', detail: 'Details', none: 'None',
    needs: {
      add: 'Record a need', matches: 'Suggested resources', match: 'Match', meet: 'Mark as met', close: 'Close', reopen: 'Reopen', outcome: 'How it was met', reason: 'Reason',
      byProject: 'Met by a project (optional)', noMatches: 'No resource offers this', metres: '{n} m', sameCommunity: 'this community', claims: 'Claims',
      requesterHint: 'e.g. elderly resident living alone, building 3 (no names)',
    },
    resources: { add: 'Register a resource', organisation: 'Organisation', retire: 'Retire' },
    projects: { add: 'Plant a project', start: 'Start', complete: 'Complete', figures: 'Update figures', cancel: 'Cancel project', photos: 'Photos', addPhoto: 'Upload photo', noNeeds: 'No need met yet' },
    claims: { done: 'Done', notDone: 'Not done', noFulfilment: 'No fulfilment recorded yet', tasks: 'Project tasks', addTask: 'Add task', taskName: 'Task', taskOn: 'Day', peopleWanted: 'People wanted', claimTask: 'Claim task', noTasks: 'No tasks yet', claimedBy: 'Claimed by {n}', partyMember: 'Party member', outcome: 'Outcome', caseClaims: 'Claims of this kind of case here', compoundClaims: 'Compound claims', ownerless: 'Ownerless compounds', claim: 'Claim', list: 'Claims', fulfil: 'Record fulfilment', end: 'End claim', note: 'What was done', unclaimed: 'Unclaimed', start: 'Start', endOn: 'End' },
    councils: {
      add: 'Record a council', addParticipant: 'Add participant', addLine: 'Add', addFollowUp: 'Add follow-up', becameNeed: 'Became a need', becameCase: 'Became case {number}',
      category: 'Case category', pickCompound: 'Pick a compound', placeHint: 'e.g. courtyard pavilion',
    },
    phone: {
      title: 'Needs', open: 'Open needs ({n})', none: 'No open need in your grid', add: 'Record a need', what: 'What help is needed?', whom: 'For whom?',
      who: { aloneElderly: 'Elderly living alone', disabled: 'Disabled person', lowIncome: 'Low-income family', family: 'Other household' }, described: '{who} needs {what}',
      submit: 'Record the need', recorded: 'Recorded; the community will follow up', entry: 'Needs',
    },
    pickGrid: 'Pick a grid',
  },
};
