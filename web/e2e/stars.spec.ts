// 我的星级 on the phone: a grid worker opens their own stars for last quarter from 今日任务, sees the score and every
// indicator the API computed for them, and taps one to see the records counted in it; the page shows what the API says.
import { test, expect } from '@playwright/test';
import { apiAs, phoneContext, shot, signInOnPhone } from './helpers';

interface Line { code: string; name: string; reason: string | null; value: number | null }
interface Result { code: string; stars: number | null; score: number; indicators: Line[] }

test('a grid worker checks their own stars and the records behind one indicator', async ({ browser }) => {
  const worker = await apiAs('worker01');
  const me = await (await worker.get('/api/auth/me')).json() as { id: string };
  const beijing = new Date(Date.now() + 8 * 3600_000);
  const month = beijing.getUTCMonth() + 1;
  const quarter = Math.floor((month - 1) / 3) + 1;
  const period = quarter === 1 ? `${beijing.getUTCFullYear() - 1}-Q4` : `${beijing.getUTCFullYear()}-Q${quarter - 1}`;
  const answer = await worker.get(`/api/assessment/results?period=${period}&subject=worker`);
  expect(answer.status()).toBe(200);
  const results = ((await answer.json()) as { results: Result[] }).results;
  // A grid worker reads only themself.
  expect(results.map((r) => r.code)).toEqual([me.id]);
  const mine = results[0];

  const context = await phoneContext(browser);
  const page = await context.newPage();
  await signInOnPhone(page, 'worker01', /\/m\/tasks/);
  await page.locator('[data-test=home-stars]').click();
  await expect(page).toHaveURL(/\/m\/stars$/);
  await expect(page.locator('[data-test=stars-score]')).toContainText(mine.score.toFixed(2));
  if (mine.stars) await expect(page.locator('[data-test=stars-rate]')).toBeVisible();
  else await expect(page.locator('[data-test=stars-not-rated]')).toHaveText('暂不评定');
  for (const line of mine.indicators) await expect(page.locator(`[data-test=stars-line-${line.code}]`)).toContainText(line.name);
  await shot(page, 'phone-my-stars');

  // The records behind the first indicator that has some, as the worker evidence route lists them.
  let opened = false;
  for (const line of mine.indicators.filter((l) => l.value !== null)) {
    const evidence = await (await worker.get(`/api/assessment/workers/${me.id}/indicators/${line.code}/evidence?period=${period}`)).json() as
      { evidence: { reference: string }[] };
    if (evidence.evidence.length === 0) continue;
    await page.locator(`[data-test=stars-line-${line.code}]`).click();
    const sheet = page.locator('[data-test=stars-evidence]');
    await expect(sheet.locator('.van-cell')).toHaveCount(evidence.evidence.length);
    await expect(sheet).toContainText(evidence.evidence[0].reference);
    await shot(page, 'phone-my-stars-evidence');
    opened = true;
    break;
  }
  expect(opened).toBe(true);
});
