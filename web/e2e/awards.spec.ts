// 评优名单: the quarterly award list of the third-level grids, drawn from the last quarter's published results by the
// configured rule (top N, at least M stars, ties at the last place all in, grids with an undecided appeal held back), shown
// as the API draws it, exported to Excel with the quarter's ranking table; the 1 July list of the year says plainly when the
// quarters it needs are not all published yet.
import { test, expect } from '@playwright/test';
import { signIn } from './console-helpers';
import { apiAs, shot } from './helpers';

interface Winner { place: number; code: string; name: string; stars: number; score: number }
interface Awards { title: string; top: number; minimumStars: number; lists: { subdistrictName: string; winners: Winner[]; waiting: string[]; missingPeriods: string[] }[] }
interface GridResult { code: string; stars: number | null; score: number; rank: number | null }

test('the operations centre opens last quarter\'s award list of third-level grids, checks it against the published ranking and exports both', async ({ page }) => {
  const beijing = new Date(Date.now() + 8 * 3600_000);
  const index = beijing.getUTCFullYear() * 4 + Math.floor(beijing.getUTCMonth() / 3) - 1;
  const [year, quarter] = [Math.floor(index / 4), (index % 4) + 1];
  const period = `${year}-Q${quarter}`;
  const ops = await apiAs('ops');
  const answer = await ops.get(`/api/assessment/awards?kind=quarter&period=${period}&level=grid-3`);
  expect(answer.status(), await answer.text()).toBe(200);
  const awards = (await answer.json()) as Awards;
  const list = awards.lists[0];
  // The demo's year has grids good enough for the list; every winner meets the rule and stands where the ranking puts it.
  expect(list.winners.length).toBeGreaterThan(0);
  const results = ((await (await ops.get(`/api/assessment/results?period=${period}&subject=grid&level=grid-3`)).json()) as { provisional: boolean; results: GridResult[] });
  expect(results.provisional).toBe(false);
  for (const w of list.winners) {
    expect(w.stars).toBeGreaterThanOrEqual(awards.minimumStars);
    expect(w.place).toBeLessThanOrEqual(awards.top);
    expect(results.results.find((r) => r.code === w.code)!.rank).toBe(w.place);
  }

  await signIn(page, 'ops');
  await page.goto('/assessment/awards');
  await expect(page.locator('[data-test=awards-rule]')).toContainText(awards.title);
  await expect(page.locator('[data-test=awards-rule]')).toContainText(`前 ${awards.top} 名，至少 ${awards.minimumStars} 星`);
  const rows = page.locator('[data-test=awards-winners] .el-table__row');
  await expect(rows).toHaveCount(list.winners.length);
  await expect(rows.first()).toContainText(list.winners[0].name);
  await expect(rows.first()).toContainText(list.winners[0].score.toFixed(2));
  await shot(page, 'awards-quarter');

  // Both exports are real workbooks (a zip), named for the quarter.
  for (const link of ['awards-export', 'ranking-export']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-test=${link}]`).click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const bytes = await (await import('node:fs/promises')).readFile((await download.path())!);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    expect(bytes.length).toBeGreaterThan(2000);
  }

  // The 1 July list of last year: drawn, or a plain sentence naming what is not published yet.
  await page.locator('[data-test=awards-kind]').getByText('“七一”年度评优').click();
  const july = await ops.get(`/api/assessment/awards?kind=july-first&year=${beijing.getUTCMonth() >= 6 ? beijing.getUTCFullYear() : beijing.getUTCFullYear() - 1}&level=grid-3`);
  if (july.ok()) {
    await expect(page.locator('[data-test=awards-rule]')).toContainText('七一');
  } else {
    const problem = (await july.json()) as { detail: string };
    await expect(page.locator('[data-test=awards-error]')).toContainText(problem.detail);
    await expect(page.locator('[data-test=awards-error]')).not.toContainText('Exception');
  }
});
