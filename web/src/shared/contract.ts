// The API's enumerations, as the server lists them in its OpenAPI document: openapi-typescript --enum-values generates
// them into src/api/schema-values.ts with every build, so a page shows, filters and translates exactly the server's
// values and a value added or renamed on the server is a type error here, never a silently missing option.
import type { Schemas } from '@/api/client';
import {
  briefingRecipientKindValues,
  ageBandValues,
  courseKindValues,
  memberKindValues,
  councilMemberKindValues,
  caseChannelValues,
  caseStatusValues,
  caseTierValues,
  deviceKindValues,
  organisationKindValues,
  referralStatusValues,
  occupancyValues,
  careKindValues,
  visitOutcomeValues,
  findingRequestNeedKindValues,
} from '@/api/schema-values';

export type CaseStatus = Schemas['CaseStatus'];
export type CaseTier = Schemas['CaseTier'];
export type CaseChannel = Schemas['CaseChannel'];
export type DeviceKind = Schemas['DeviceKind'];
export type ReferralStatus = Schemas['ReferralStatus'];
export type OrganisationKind = Schemas['OrganisationKind'];
/** Whom a policy briefing can be addressed to (one role each). */
export type BriefingRecipientKind = Schemas['BriefingRecipientKind'];
/** Who an emergency broadcast reaches, and how one delivery stands. */
export type BroadcastTargetKind = Schemas['BroadcastTargetKind'];
export type DeliveryState = Schemas['DeliveryState'];
/** How a district hand-off's webhook delivery stands. */
export type Delivery = Schemas['ReferralListItem']['delivery'];

export type MemberKind = Schemas['MemberKind'];
export type AgeBand = Schemas['AgeBand'];
export type CourseKind = Schemas['CourseKind'];
export type WorkIdStatus = Schemas['WorkIdStatus'];
export type Occupancy = Schemas['Occupancy'];
export type CareKind = Schemas['CareKind'];
export type VisitOutcome = Schemas['VisitOutcome'];
export type NeedKind = NonNullable<Schemas['FindingRequest']['needKind']>;
export const occupancies: readonly Occupancy[] = occupancyValues;
export const careKinds: readonly CareKind[] = careKindValues;
export const visitOutcomes: readonly VisitOutcome[] = visitOutcomeValues;
/** The need kinds, from the finding request's list (the schema's own NeedKind is nullable, so it has no generated list). */
export const needKinds = findingRequestNeedKindValues.filter((k): k is NeedKind => k !== null);
export const memberKinds: readonly MemberKind[] = memberKindValues;
export type CouncilMemberKind = Schemas['CouncilMemberKind'];
export const councilMemberKinds: readonly CouncilMemberKind[] = councilMemberKindValues;
export const ageBands: readonly AgeBand[] = ageBandValues;
export const courseKinds: readonly CourseKind[] = courseKindValues;

export const caseStatuses: readonly CaseStatus[] = caseStatusValues;
/** The four colours, green (grid) to red (district). */
export const caseTiers: readonly CaseTier[] = caseTierValues;
export const caseChannels: readonly CaseChannel[] = caseChannelValues;
export const deviceKinds: readonly DeviceKind[] = deviceKindValues;
export const referralStatuses: readonly ReferralStatus[] = referralStatusValues;
export const organisationKinds: readonly OrganisationKind[] = organisationKindValues;
export const briefingRecipientKinds: readonly BriefingRecipientKind[] = briefingRecipientKindValues;

/** How each colour is drawn (CSS class tier-{tier} and the map's points); a new colour on the server fails the type check. */
export const tierColours: Readonly<Record<CaseTier, string>> = { green: '#1a7f37', yellow: '#b58105', blue: '#0b57d0', red: '#d93025' };
