// The workflow verbs a field worker takes on the phone, each with the version the page showed. Every call ends in
// one of three outcomes the case page knows how to show: done, stale (someone else changed the case: reload),
// or refused with the server's Chinese sentence.
import { api, problemText, type Schemas } from '@/api/client';

export type CaseDetail = Schemas['CaseDetail'];
export type Outcome = { kind: 'done' } | { kind: 'stale' } | { kind: 'refused'; text: string };

interface Answer {
  error?: unknown;
  response: Response;
}

function outcomeOf({ error, response }: Answer): Outcome {
  if (response.ok) return { kind: 'done' };
  if (response.status === 409) return { kind: 'stale' };
  return { kind: 'refused', text: problemText(error, `HTTP ${response.status}`) };
}

async function guarded(call: () => Promise<Answer>): Promise<Outcome> {
  try {
    return outcomeOf(await call());
  } catch {
    return { kind: 'refused', text: '网络不通，请稍后再试' };
  }
}

const at = (number: string) => ({ params: { path: { number } } });

export const accept = (number: string, version: number) =>
  guarded(() => api.POST('/api/cases/{number}/accept', { ...at(number), body: { expectedVersion: version } }));

/** 交办 to a person; without a due time the server counts the category's time limit on the work calendar. */
export const assign = (number: string, version: number, userId: string) =>
  guarded(() => api.POST('/api/cases/{number}/assign', { ...at(number), body: { expectedVersion: version, userId, departmentId: null, due: null } }));

export const startHandling = (number: string, version: number) =>
  guarded(() => api.POST('/api/cases/{number}/start-handling', { ...at(number), body: { expectedVersion: version } }));

export const handled = (number: string, version: number, note: string, photoIds: string[]) =>
  guarded(() => api.POST('/api/cases/{number}/handled', { ...at(number), body: { expectedVersion: version, note, photoIds } }));

export const giveBack = (number: string, version: number, reason: string) =>
  guarded(() => api.POST('/api/cases/{number}/return', { ...at(number), body: { expectedVersion: version, reason } }));

export const transfer = (number: string, version: number, toGridCode: string, reason: string) =>
  guarded(() => api.POST('/api/cases/{number}/transfer', { ...at(number), body: { expectedVersion: version, toGridCode, reason, teach: true } }));

export const escalate = (number: string, version: number, reason: string) =>
  guarded(() => api.POST('/api/cases/{number}/escalate', { ...at(number), body: { expectedVersion: version, reason } }));

export { uploadPhotos } from '@/shared/casePhotos';
