// Taking an assessment run through deliberation over the API, the way people do it (the operations centre computes, every
// community's staff review and approve, the subdistrict reviews, approves and publishes), for the specs that need a
// published period: appeals of grids (appeals.spec.ts) and of grid workers from the phone (stars.spec.ts).
import { expect, type APIRequestContext } from '@playwright/test';
import { apiAs, communityReviewer, reviewMeeting } from './helpers';

export interface Run { id: string; level: string; status: string; allowedActions: string[]; communities: { code: string; approved: boolean }[] }

/**
 * The subdistrict's run of a period for grids of a level ('grid-3') or for the grid workers ('worker'), published: the one
 * the demo published, or computed (when it still may be) and taken through every community's review and the subdistrict's.
 */
export async function publishedRun(period: string, level: string, own: { code: string; client: APIRequestContext }): Promise<Run> {
  const ops = await apiAs('ops');
  const runs = (await (await ops.get(`/api/assessment/runs?period=${period}`)).json()) as { id: string; level: string }[];
  let run: Run | undefined;
  const stored = runs.find((r) => r.level === level);
  if (stored) run = (await (await ops.get(`/api/assessment/runs/${stored.id}`)).json()) as Run;
  if (!run || run.allowedActions.includes('compute')) {
    const computed = await ops.post('/api/assessment/runs', { data: level === 'worker' ? { period, subject: 'worker' } : { period, level } });
    expect(computed.status(), await computed.text()).toBe(200);
    run = (await computed.json()) as Run;
  }
  if (run.status !== 'published') {
    for (const community of run.communities.filter((c) => !c.approved)) {
      const staff = await communityReviewer(community.code, own);
      expect((await staff.post(`/api/assessment/runs/${run.id}/reviews`, { data: reviewMeeting('季度考核社区评议会') })).status()).toBe(200);
      expect((await staff.post(`/api/assessment/runs/${run.id}/approve`)).status()).toBe(200);
    }
    expect((await ops.post(`/api/assessment/runs/${run.id}/reviews`, { data: reviewMeeting('季度考核街道评议会') })).status()).toBe(200);
    expect((await ops.post(`/api/assessment/runs/${run.id}/approve`)).status()).toBe(200);
    const published = await ops.post(`/api/assessment/runs/${run.id}/publish`);
    expect(published.status()).toBe(200);
    run = (await published.json()) as Run;
  }
  return run;
}
