// The steps of an assessment run (POST /api/assessment/runs/{id}/<step>), one client for the /assessment panel and the
// deliberation page, so both show the same refusals in the same words.
import { api, problemText, type Schemas } from '@/api/client';

export type Run = Schemas['RunResponse'];
export type Step = 'open-council' | 'close-council' | 'approve' | 'publish';

export interface Outcome<T> { data?: T; problem?: string }

function outcome<T>(data: T | undefined, error: unknown, fallback: string): Outcome<T> {
  return error ? { problem: problemText(error, fallback) } : { data };
}

/** Takes one step of a run; the answer is the run as it now stands, or the refusal in Chinese. */
export async function step(id: string, which: Step, fallback: string): Promise<Outcome<Run>> {
  const params = { params: { path: { id } } };
  const { data, error } = which === 'open-council' ? await api.POST('/api/assessment/runs/{id}/open-council', params)
    : which === 'close-council' ? await api.POST('/api/assessment/runs/{id}/close-council', params)
      : which === 'approve' ? await api.POST('/api/assessment/runs/{id}/approve', params)
        : await api.POST('/api/assessment/runs/{id}/publish', params);
  return outcome(data, error, fallback);
}

/** Computes (or recomputes) the run of a period and level (or of the grid workers: level 'worker') for the caller's subdistrict. */
export async function compute(period: string, level: string, fallback: string): Promise<Outcome<Run>> {
  const body = level === 'worker' ? { period, level: null, subject: 'worker' as const } : { period, level };
  const { data, error } = await api.POST('/api/assessment/runs', { body });
  return outcome(data, error, fallback);
}

export async function verify(id: string, fallback: string): Promise<Outcome<Schemas['VerifyResponse']>> {
  const { data, error } = await api.POST('/api/assessment/runs/{id}/verify', { params: { path: { id } } });
  return outcome(data, error, fallback);
}

export const statusTag: Record<Schemas['RunStatus'], 'info' | 'warning' | 'primary' | 'success'> = {
  provisional: 'info', 'council-open': 'warning', 'council-closed': 'warning', 'community-reviewed': 'primary', 'subdistrict-approved': 'primary',
  published: 'success',
};
