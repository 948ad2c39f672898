// The console's notification centre (issue 20 item 5): a case escalated to a community reaches its staff's bell at
// once (live), the list shows it with the case, opening it marks it read, 全部已读 empties the count.
import { test, expect } from '@playwright/test';
import { apiAs, unique, lookAtPage } from './helpers';
import { microGridCentre, signIn } from './console-helpers';

test('a case escalated to the community rings its staff’s bell; the list leads to the case; all read clears it', async ({ page }) => {
  const community = await apiAs('community01');
  const ops = await apiAs('ops');
  await community.post('/api/notifications/read-all');
  await signIn(page, 'community01');
  const bell = page.locator('[data-test=bell]');
  await expect(bell).toHaveAccessibleName('消息'); // nothing unread: the word alone, no count
  await expect(page.locator('[data-test=bell-count] sup')).toBeHidden();

  // A call entered in one of the community's micro-grids, escalated from the grid to the community.
  const { lon, lat } = await microGridCentre(community, 3);
  const title = unique('铃声测试');
  const created = await ops.post('/api/cases', {
    data: { categoryCode: 'C0101', title, description: '小区门口井盖松动', lon: String(lon), lat: String(lat), crs: 'wgs84', callerName: '刘先生' },
    headers: { 'Idempotency-Key': unique('key') },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { number } = await created.json();
  const version = (await (await ops.get(`/api/cases/${number}`)).json()).version;
  expect((await ops.post(`/api/cases/${number}/escalate`, { data: { expectedVersion: version, reason: '网格内无法解决，需社区联调。' } })).status()).toBe(200);

  // The bell counts it without a reload (the live feed), and says so in words for a screen reader.
  const unread = async () => (await (await community.get('/api/notifications/unread-count')).json()).unread as number;
  await expect.poll(unread, { timeout: 15_000 }).toBeGreaterThan(0);
  const count = await unread();
  await expect(page.locator('[data-test=bell-count] sup')).toHaveText(String(count), { timeout: 15_000 });
  await expect(bell).toHaveAccessibleName(new RegExp(`^消息\\s?（${count} 条未读）$`));

  await bell.click();
  await expect(page).toHaveURL(/\/notifications$/);
  const row = page.locator('[data-test=notification-list] .el-table__row', { hasText: number });
  await expect(row).toBeVisible();
  await lookAtPage(page, 'console-notifications');
  await row.locator('[data-test=open-case]').click();
  await expect(page).toHaveURL(new RegExp(`/cases/${number}$`));
  await expect.poll(unread).toBe(count - 1);

  await page.goto('/notifications');
  await page.locator('[data-test=mark-all-read]').click();
  await expect.poll(unread).toBe(0);
  await expect(page.locator('[data-test=bell-count] sup')).toBeHidden();
  await Promise.all([community.dispose(), ops.dispose()]);
});
