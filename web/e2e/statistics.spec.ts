// 统计分析 (/statistics): the operations centre's headline numbers equal the dashboard API's summary of the same scope and
// period; a community and this year instead change the numbers, the monthly trend and the tables with them; the monthly
// report downloads as a workbook with the report's sheets, and the cases of the selection as another; community staff
// pick only grids of their own community.
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { apiAs, shot } from './helpers';
import { signIn } from './console-helpers';

test.use({ viewport: { width: 1920, height: 1080 } });

interface Summary {
  scopeName: string;
  period: { reported: number; closed: number; closureRate: number | null; onTimeRate: number | null };
  now: { open: number; overdue: number; supervised: number; parked: number };
  reportedByChannel: Record<string, number>;
}
interface Grid { code: string; name: string; level: string; levelName: string; parentCode: string | null }

const beijingToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const percent = (rate: number | null) => (rate == null ? '—' : `${(rate * 100).toFixed(1)}%`);

async function summaryOf(api: APIRequestContext, from: string, to: string, grid?: string): Promise<Summary> {
  const response = await api.get(`/api/dashboard/summary?from=${from}&to=${to}${grid ? `&grid=${grid}` : ''}`);
  expect(response.ok(), await response.text()).toBeTruthy();
  return response.json();
}

/** The headline numbers on the page are the API's, figure by figure. */
async function expectHeadline(page: Page, s: Summary) {
  const value = (name: string) => page.locator(`[data-test=stat-${name}] .value`);
  await expect(page.locator('[data-test=stats-heading]')).toContainText(s.scopeName);
  await expect(value('reported')).toHaveText(String(s.period.reported));
  await expect(value('closed')).toHaveText(String(s.period.closed));
  await expect(value('closure-rate')).toHaveText(percent(s.period.closureRate));
  await expect(value('on-time')).toHaveText(percent(s.period.onTimeRate));
  await expect(value('open')).toHaveText(String(s.now.open));
  await expect(value('overdue')).toHaveText(String(s.now.overdue));
  await expect(value('supervised')).toHaveText(String(s.now.supervised));
}

/** The names of the worksheets of an .xlsx (a zip): xl/workbook.xml read from the archive's central directory. */
function sheetNames(path: string): string[] {
  const zip = readFileSync(path);
  expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const local = zip.readUInt32LE(at + 42);
    if (name === 'xl/workbook.xml') {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      const xml = (method === 8 ? inflateRawSync(data) : data).toString('utf8');
      return [...xml.matchAll(/<(?:x:)?sheet [^>]*name="([^"]+)"/g)].map((m) => m[1]!);
    }
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  throw new Error('no xl/workbook.xml in the workbook');
}

test('the operations centre reads its figures, changes the scope and the period, and downloads the monthly report', async ({ page }) => {
  const ops = await apiAs('ops');
  const today = beijingToday();
  const monthStart = `${today.slice(0, 7)}-01`;
  await signIn(page, 'ops');
  await page.locator('[data-test=menu-statistics]').click();
  await expect(page).toHaveURL(/\/statistics$/);

  // This month in the caller's scope, by default.
  const mine = await summaryOf(ops, monthStart, today);
  await expectHeadline(page, mine);
  await expect(page.locator('[data-test=period-this-month]')).toHaveClass(/is-active/);
  await expect(page.locator('[data-test=chart-trend]')).toHaveAttribute('data-points', String(Number(today.slice(8, 10))));
  await expect(page.locator('[data-test=chart-trend] canvas')).toBeVisible();
  const categories = await (await ops.get(`/api/dashboard/breakdown?dimension=category&from=${today.slice(0, 7)}&to=${today.slice(0, 7)}`)).json();
  await expect(page.locator('[data-test=table-categories] .el-table__body tr')).toHaveCount(categories.lines.length);
  if (categories.lines.length) await expect(page.locator('[data-test=table-categories]')).toContainText(categories.lines[0].name);

  // A community of the scope, picked by name, and this year: the figures are the API's for the community and the year.
  const communities = ((await (await ops.get('/api/grids?level=community')).json()) as Grid[]).filter((g) => g.level === 'community');
  const community = communities[1] ?? communities[0]!;
  await page.locator('[data-test=stats-scope] input').fill(community.name);
  await page.getByRole('option', { name: `${community.name}（${community.levelName}）`, exact: true }).click();
  const communityMonth = await summaryOf(ops, monthStart, today, community.code);
  await expectHeadline(page, communityMonth);

  await page.locator('[data-test=period-this-year]').click();
  const yearStart = `${today.slice(0, 4)}-01-01`;
  const year = await summaryOf(ops, yearStart, today, community.code);
  await expectHeadline(page, year);
  await expect(page.locator('[data-test=stats-heading]')).toContainText(`${Number(today.slice(0, 4))}年1月1日`);
  const monthsSoFar = Number(today.slice(5, 7));
  await expect(page.locator('[data-test=chart-trend]')).toHaveAttribute('data-points', String(monthsSoFar));
  const trendRows = page.locator('[data-test=table-trend] .el-table__body tr');
  await expect(trendRows).toHaveCount(monthsSoFar);
  const january = await summaryOf(ops, yearStart, `${today.slice(0, 4)}-01-31` < today ? `${today.slice(0, 4)}-01-31` : today, community.code);
  await expect(trendRows.first()).toContainText(`${today.slice(0, 4)}-01`);
  await expect(trendRows.first().locator('td').nth(1)).toHaveText(String(january.period.reported));
  // The channels' table: every channel of the year with its count, largest first.
  const channels = Object.entries(year.reportedByChannel).sort((a, b) => b[1] - a[1]);
  const channelRows = page.locator('[data-test=table-channels] .el-table__body tr');
  await expect(channelRows).toHaveCount(channels.length);
  await expect(channelRows.first().locator('td').nth(1)).toHaveText(String(channels[0]![1]));
  await expect(page.locator('[data-test=chart-categories] canvas')).toBeVisible();
  await expect(page.locator('[data-test=chart-solved] canvas')).toBeVisible();
  const departments = await (await ops.get(`/api/dashboard/breakdown?dimension=department&from=${today.slice(0, 4)}-01&to=${today.slice(0, 7)}&grid=${community.code}`)).json();
  if (departments.lines.some((l: { closedWithDeadline: number }) => l.closedWithDeadline > 0)) {
    await expect(page.locator('[data-test=chart-departments] canvas')).toBeVisible();
  } else {
    await expect(page.locator('[data-test=card-departments]')).toContainText('该期间没有职能部门办结的案件');
  }
  await page.waitForTimeout(500); // the charts' animation
  await shot(page, 'console-statistics');

  // The monthly report of the community: a workbook with the report's sheets, named after the community and the month.
  const month = await page.getByRole('combobox', { name: '月报月份' }).inputValue();
  expect(month).toMatch(/^\d{4}-\d{2}$/);
  const [report] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-report]').click()]);
  expect(report.suggestedFilename()).toContain(community.name);
  expect(report.suggestedFilename()).toContain('月度报表');
  expect(sheetNames((await report.path())!)).toEqual(['总体情况', '按渠道', '按事件类别', '按职能部门', '按下级网格']);
  // The cases of the same scope and period.
  const [cases] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-cases]').click()]);
  expect(sheetNames((await cases.path())!).length).toBeGreaterThan(0);

  // Last month: the daily trend of its days, and the figures of that month.
  await page.locator('[data-test=period-last-month]').click();
  const first = new Date(`${monthStart}T00:00:00Z`);
  const lastMonthEnd = new Date(first.getTime() - 86_400_000).toISOString().slice(0, 10);
  const lastMonth = await summaryOf(ops, `${lastMonthEnd.slice(0, 7)}-01`, lastMonthEnd, community.code);
  await expectHeadline(page, lastMonth);
  await expect(page.locator('[data-test=chart-trend]')).toHaveAttribute('data-points', String(Number(lastMonthEnd.slice(8, 10))));
  await expect(page.getByRole('combobox', { name: '月报月份' })).toHaveValue(lastMonthEnd.slice(0, 7));
});

test('community staff pick only grids of their own community', async ({ page }) => {
  const staff = await apiAs('community01');
  const ops = await apiAs('ops');
  const own = (await (await staff.get('/api/grids')).json()) as Grid[];
  const community = own.find((g) => g.level === 'community')!;
  const others = ((await (await ops.get('/api/grids?level=community')).json()) as Grid[]).filter((g) => g.level === 'community' && g.code !== community.code);
  expect(others.length).toBeGreaterThan(0);

  await signIn(page, 'community01');
  await page.goto('/statistics');
  const today = beijingToday();
  await expectHeadline(page, await summaryOf(staff, `${today.slice(0, 7)}-01`, today));
  await expect(page.locator('[data-test=stats-heading]')).toContainText(community.name);
  await page.locator('[data-test=stats-scope] input').click();
  await expect(page.getByRole('option', { name: `${community.name}（${community.levelName}）`, exact: true })).toBeVisible();
  // Every node of the picker is a grid of the community (rendered up front, shown as the tree opens), by name.
  const labels = await page.locator('.el-tree-node__content').allTextContents();
  expect(labels.length).toBe(own.length);
  for (const other of others) expect(labels.filter((l) => l.includes(other.name))).toEqual([]);
  expect(labels.some((l) => /\d{9,}/.test(l))).toBe(false);
  await shot(page, 'console-statistics-community');
});
