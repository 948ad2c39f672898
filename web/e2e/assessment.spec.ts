// 五星评定 in the console: community staff rank the grids of their community for last month, open a grid's scorecard and
// the cases behind its on-time handling rate; the page shows what the API computes, and grids with indicators whose
// sources are not connected yet are shown as not rated.
import { test, expect } from '@playwright/test';
import { signIn } from './console-helpers';
import { apiAs, shot } from './helpers';

interface Line { code: string; name: string; numerator: number; denominator: number | null }
interface GridResult { code: string; name: string; stars: number | null; score: number; missing: string[]; indicators: Line[] }

test('community staff rank their grids for last month, open a scorecard and the cases behind its on-time handling rate', async ({ page }) => {
  const beijing = new Date(Date.now() + 8 * 3600_000);
  const last = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() - 1, 1));
  const period = `${last.getUTCFullYear()}-${String(last.getUTCMonth() + 1).padStart(2, '0')}`;
  const staff = await apiAs('community01');
  const answer = await staff.get(`/api/assessment/results?period=${period}&subject=grid&level=grid-3`);
  expect(answer.status()).toBe(200);
  const results = ((await answer.json()) as { results: GridResult[] }).results;
  expect(results.length).toBeGreaterThan(0);
  // The grid with the most cases in its on-time handling rate (the demo's busiest), so the evidence has rows to show.
  const onTime = (r: GridResult) => r.indicators.find((l) => l.code === 'on-time-handling')!;
  const grid = [...results].sort((a, b) => (onTime(b).denominator ?? 0) - (onTime(a).denominator ?? 0))[0];

  await signIn(page, 'community01');
  await page.locator('[data-test=menu-assessment]').click();
  const table = page.locator('[data-test=assessment-table]');
  await expect(table.locator('.el-table__row')).toHaveCount(results.length);
  // Ranked by score, best first.
  const best = Math.max(...results.map((r) => r.score));
  await expect(table.locator('.el-table__row').first()).toContainText(best.toFixed(2));
  if (grid.missing.length > 0) await expect(table.locator('.el-table__row').filter({ has: page.getByText(grid.name, { exact: true }) })).toContainText('暂不评定');
  // The star distribution counts the same grids as the table (not rated, then 1–5 stars); the trend reads the six months
  // up to the chosen one.
  const counts = [results.filter((r) => !r.stars).length, ...[1, 2, 3, 4, 5].map((n) => results.filter((r) => r.stars === n).length)];
  await expect(page.locator('[data-test=assessment-distribution] [data-counts]')).toHaveAttribute('data-counts', counts.join(','));
  await expect(page.locator('[data-test=assessment-trend] [data-periods]')).toHaveAttribute('data-periods', new RegExp(`,${period}$`));
  await expect(page.locator('[data-test=assessment-trend] canvas')).toHaveCount(1);
  await shot(page, 'assessment-ranking');

  await table.locator('.el-table__row').filter({ has: page.getByText(grid.name, { exact: true }) }).click();
  const card = page.locator('[data-test=scorecard]');
  await expect(card.locator('[data-test=scorecard-score]')).toContainText(grid.score.toFixed(2));
  const line = card.locator('[data-test=scorecard-lines] .el-table__row', { hasText: '按时处置率' });
  await expect(line).toContainText(`${onTime(grid).numerator} / ${onTime(grid).denominator}`);
  if (grid.missing.length > 0) {
    const missingName = grid.indicators.find((l) => l.code === grid.missing[0])!.name;
    await expect(card.locator('[data-test=scorecard-missing]')).toContainText(missingName);
    await expect(card.locator('[data-test=scorecard-lines] .el-table__row', { hasText: missingName })).toHaveCount(0);
  }
  await shot(page, 'assessment-scorecard');

  await line.click();
  const evidence = page.locator('[data-test=evidence]');
  await expect(evidence).toContainText('在办理时限内办结的案件');
  const rows = evidence.locator('[data-test=evidence-table] .el-table__row');
  await expect(rows).toHaveCount(onTime(grid).denominator ?? 0);
  if ((onTime(grid).denominator ?? 0) > 0) {
    await expect(rows.first().locator('a')).toHaveAttribute('href', /^\/cases\/\d+$/);
    await expect(evidence.locator('.el-tag', { hasText: '是' })).toHaveCount(onTime(grid).numerator);
  }
  await shot(page, 'assessment-evidence');
});

interface WorkerResult extends GridResult { gridName: string }

test('community staff switch to people, open a grid worker\'s scorecard and the patrol days behind their step goal rate', async ({ page }) => {
  const beijing = new Date(Date.now() + 8 * 3600_000);
  const last = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() - 1, 1));
  const period = `${last.getUTCFullYear()}-${String(last.getUTCMonth() + 1).padStart(2, '0')}`;
  const staff = await apiAs('community01');
  const answer = await staff.get(`/api/assessment/results?period=${period}&subject=worker`);
  expect(answer.status()).toBe(200);
  const body = (await answer.json()) as { provisional: boolean; results: WorkerResult[] };
  const people = body.results;
  expect(people.length).toBeGreaterThan(0);
  // A walker with the most working days owed, so the evidence has rows to show.
  const goal = (r: WorkerResult) => r.indicators.find((l) => l.code === 'patrol-goal-days');
  const walker = [...people].filter((r) => goal(r)).sort((a, b) => (goal(b)!.denominator ?? 0) - (goal(a)!.denominator ?? 0))[0];

  await signIn(page, 'community01');
  await page.locator('[data-test=menu-assessment]').click();
  await page.locator('[data-test=assessment-subject]').getByText('人员').click();
  const table = page.locator('[data-test=assessment-table]');
  await expect(table.locator('.el-table__row')).toHaveCount(people.length);
  await expect(page.locator('[data-test=assessment-level]')).toHaveCount(0);
  // The workers' run of the period has its own panel: published and frozen once the subdistrict published it.
  await expect(page.locator('[data-test=run-panel]')).toBeVisible();
  if (!body.provisional) await expect(page.locator('[data-test=run-status]')).toHaveText('已公布');
  const row = table.locator('.el-table__row', { hasText: walker.name }).filter({ hasText: walker.gridName }).first();
  await expect(row).toContainText(walker.score.toFixed(2));
  await shot(page, 'assessment-people');

  await row.click();
  const card = page.locator('[data-test=scorecard]');
  const line = card.locator('[data-test=scorecard-lines] .el-table__row', { hasText: '巡查步数达标率' });
  await expect(line).toContainText(`${goal(walker)!.numerator} / ${goal(walker)!.denominator}`);
  await line.click();
  const evidence = page.locator('[data-test=evidence]');
  await expect(evidence).toContainText('应巡查的工作日');
  const rows = evidence.locator('[data-test=evidence-table] .el-table__row');
  await expect(rows).toHaveCount(goal(walker)!.denominator ?? 0);
  if ((goal(walker)!.denominator ?? 0) > 0) {
    // A patrol day is named by its date and the walker, not linked as a case.
    await expect(rows.first()).toContainText(` · ${walker.name}`);
    await expect(rows.first().locator('a')).toHaveCount(0);
  }
  await shot(page, 'assessment-person-evidence');
});
