// Taking an assessment run through deliberation over the API, the way people do it (the operations centre computes, every
// community's staff review and approve, the subdistrict reviews, approves and publishes), for the specs that need a
// published period: appeals of grids (appeals.spec.ts) and of grid workers from the phone (stars.spec.ts).
import { expect, request, type APIRequestContext } from '@playwright/test';
import { apiAs, baseURL } from './helpers';

export interface Run { id: string; level: string; status: string; allowedActions: string[]; communities: { code: string; approved: boolean }[] }

const first = 'Qiantang-Jiang-51#';
const next = 'Lanhua-Lu-78#';

async function tokenFor(userName: string, password: string): Promise<string> {
  const anonymous = await request.newContext({ baseURL });
  const login = await anonymous.post('/api/auth/login', { data: { userName, password, useCookie: false } });
  expect(login.ok(), await login.text()).toBeTruthy();
  const { accessToken } = await login.json();
  await anonymous.dispose();
  return accessToken as string;
}

/** Community staff of a community (the demo has one community's staff account; the others are created as a security admin would). */
export async function staffOf(community: string, own: { code: string; client: APIRequestContext }): Promise<APIRequestContext> {
  if (community === own.code) return own.client;
  const secadmin = await apiAs('secadmin');
  const userName = `e2e-review-${community}-${Date.now().toString(36)}`;
  const created = await secadmin.post('/api/users', { data: { userName, displayName: '社区审议员', roles: ['community-staff'], scopeCode: community, password: first } });
  expect(created.status()).toBe(201);
  const changing = await request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${await tokenFor(userName, first)}` } });
  expect((await changing.post('/api/auth/password', { data: { currentPassword: first, newPassword: next } })).ok()).toBeTruthy();
  return request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${await tokenFor(userName, next)}` } });
}

export const meeting = (title: string) => ({ title, heldAt: new Date(Date.now() - 3600_000).toISOString(), place: '社区议事厅', participants: ['王主任', '李委员'], summary: '逐项审议。' });

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
      const staff = await staffOf(community.code, own);
      expect((await staff.post(`/api/assessment/runs/${run.id}/reviews`, { data: meeting('季度考核社区评议会') })).status()).toBe(200);
      expect((await staff.post(`/api/assessment/runs/${run.id}/approve`)).status()).toBe(200);
    }
    expect((await ops.post(`/api/assessment/runs/${run.id}/reviews`, { data: meeting('季度考核街道评议会') })).status()).toBe(200);
    expect((await ops.post(`/api/assessment/runs/${run.id}/approve`)).status()).toBe(200);
    const published = await ops.post(`/api/assessment/runs/${run.id}/publish`);
    expect(published.status()).toBe(200);
    run = (await published.json()) as Run;
  }
  return run;
}
