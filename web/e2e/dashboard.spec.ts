// The console's home page shows the numbers of the user's scope (GET /api/dashboard/summary, from the maintained
// roll-ups): a report made now counts at once in the period, in today's intake and in what is open; the overdue figure
// leads to its queue.
import { test, expect } from '@playwright/test';
import { apiAs, demoPlace, reportAs, shot } from './helpers';
import { signIn } from './console-helpers';

test('the operations centre sees its numbers, a new report counted at once, and the overdue figure opens its queue', async ({ page }) => {
  const ops = await apiAs('ops');
  await signIn(page, 'ops');
  const panel = page.locator('[data-test=dashboard]');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('运行概况');
  const number = (name: string) => panel.locator(`[data-test=kpi-${name}] .value`);
  await expect(number('reported')).toHaveText(/^\d+$/);
  const reported = Number(await number('reported').textContent());
  const open = Number(await number('open').textContent());
  expect(reported).toBeGreaterThan(0);
  await expect(panel.locator('[data-test=dashboard-trend]')).toHaveAttribute('data-points', '30');
  await expect(panel.locator('[data-test=dashboard-solved] canvas')).toBeVisible();
  await expect(number('on-time')).toHaveText(/%$/);
  await shot(page, 'console-home-dashboard');

  const place = await demoPlace(ops, 140);
  await reportAs(ops, 'E0101', '看板测试：垃圾桶满溢', place);
  await page.reload();
  await expect(number('reported')).toHaveText(String(reported + 1));
  await expect(number('open')).toHaveText(String(open + 1));
  await expect(panel.locator('[data-test=dashboard-today]')).toContainText('工作人员录入');

  await panel.locator('[data-test=kpi-overdue]').click();
  await expect(page).toHaveURL(/\/queues\/overdue$/);
});
