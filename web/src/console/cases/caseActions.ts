// One way to call a workflow verb: every body carries the version the user saw. A stale version (409) means someone
// else acted first — the page reloads and says so; a broken rule (422) or a refusal (403) shows the server's Chinese
// detail, which names the rule in words people understand.
import { api, problemText } from '@/api/client';

/** The verbs of allowedActions (CaseVerbs in the domain) that the case detail offers as a dialog. */
export const caseVerbs = [
  'accept', 'reject', 'assign', 'start-handling', 'record-handled', 'verify', 'evaluate', 'close', 'return', 'transfer', 'escalate', 'park',
  'resume', 'reopen', 'merge', 'record-mediation', 'supervise', 'hand-to-district',
] as const;
export type CaseVerb = (typeof caseVerbs)[number];

/** Where a verb is posted, when its URL differs from its name. */
const paths: Partial<Record<CaseVerb, string>> = { 'record-handled': 'handled', 'record-mediation': 'mediation' };

export type VerbOutcome = { ok: true } | { ok: false; conflict: boolean; message: string };

export async function actOnCase(number: string, verb: CaseVerb, body: Record<string, unknown>): Promise<VerbOutcome> {
  // The verbs share one path shape; the body's type is each verb's request record (WorkflowApi.cs).
  const { response, error } = await api.POST(`/api/cases/{number}/${paths[verb] ?? verb}` as '/api/cases/{number}/accept', {
    params: { path: { number } },
    body: body as never,
  });
  if (response.ok) return { ok: true };
  return { ok: false, conflict: response.status === 409, message: problemText(error, `${response.status} ${response.statusText}`) };
}
