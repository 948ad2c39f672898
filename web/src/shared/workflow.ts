// The one client of the case workflow, for the console and the phone pages alike. A verb is named as the server names
// it in allowedActions (CaseVerbs in the domain) and posted to the route of the same name, POST /api/cases/{number}/{verb},
// with that route's request body as the OpenAPI document types it. Every body carries the version the user saw; the
// answer is one of three outcomes each page knows how to show: done (with where the case now stands), stale (someone
// else changed the case first: reload and say so) or refused with the server's Chinese sentence (a broken rule, 422,
// or who may act, 403).
import { api, problemText, type Schemas } from '@/api/client';
import type { paths } from '@/api/schema';
import { caseDetailAllowedActionsValues } from '@/api/schema-values';

export type CaseDetail = Schemas['CaseDetail'];
export type CaseState = Schemas['CaseState'];

/** A verb of allowedActions, as the server lists them. */
export type CaseVerb = CaseDetail['allowedActions'][number];
/** Every verb, in the loop's order (the order of the buttons). */
export const caseVerbs: readonly CaseVerb[] = caseDetailAllowedActionsValues;

type VerbPath<V extends string> = `/api/cases/{number}/${V}`;
/** The verbs that have their own route (record-meeting-decision is recorded with the meeting, POST /api/meetings). */
export type RoutedVerb = { [V in CaseVerb]: VerbPath<V> extends keyof paths ? V : never }[CaseVerb];
/** The request body of a verb's route. */
export type VerbBody<V extends RoutedVerb> = NonNullable<paths[VerbPath<V>]['post']['requestBody']>['content']['application/json'];

/** Whether a verb (e.g. one from allowedActions) is posted to its own route. */
export const isRoutedVerb = (verb: CaseVerb): verb is RoutedVerb => verb !== 'record-meeting-decision';

export type Outcome = { kind: 'done'; state: CaseState } | { kind: 'stale' } | { kind: 'refused'; text: string };

/** Posts one verb with its body; a dropped network is refused with a sentence too. */
export async function act<V extends RoutedVerb>(number: string, verb: V, body: VerbBody<V>): Promise<Outcome> {
  try {
    // Every verb's route has this shape (WorkflowApi.cs), and each answers the case's new state.
    const { data, error, response } = await api.POST(`/api/cases/{number}/${verb}` as VerbPath<'accept'>, {
      params: { path: { number } },
      body: body as VerbBody<'accept'>,
    });
    if (data) return { kind: 'done', state: data };
    if (response.status === 409) return { kind: 'stale' };
    return { kind: 'refused', text: problemText(error, `HTTP ${response.status}`) };
  } catch {
    return { kind: 'refused', text: '网络不通，请稍后再试' };
  }
}

/**
 * The one next step a page offers first, among the verbs the caller may take now: the loop's next move for this state
 * (立案 → 上报区级 for a red case → 交办 → 开始处置 → 反馈 → 核查 → 办结), then what unblocks it (恢复办理, 联调记录 before
 * a yellow case can close, 评价). Null when none of these is allowed; the rest of allowedActions are secondary.
 */
export function primaryVerb(allowed: readonly CaseVerb[]): CaseVerb | null {
  const order: CaseVerb[] = ['accept', 'hand-to-district', 'assign', 'start-handling', 'record-handled', 'verify', 'close', 'resume',
    'record-mediation', 'evaluate'];
  return order.find((v) => allowed.includes(v)) ?? null;
}

/** The verbs shown beside a primary one rather than under 更多: its alternative in the same decision (立案 or 不予立案). */
export function counterparts(primary: CaseVerb | null): CaseVerb[] {
  switch (primary) {
    case 'accept': return ['reject'];
    case 'start-handling':
    case 'record-handled': return ['return'];
    case 'verify': return ['reopen'];
    default: return [];
  }
}
