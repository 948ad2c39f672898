// Every role starts on its own page: residents on their reports, field staff on their tasks, desk staff in the console.
import { test, expect } from '@playwright/test';
import { password, phoneContext, shot, signInOnPhone } from './helpers';

for (const { user, path, heading } of [
  { user: 'resident001', path: '/m/mine', heading: '我的上报' },
  { user: 'worker01', path: '/m/tasks', heading: '今日任务' },
]) {
  test(`${user} signs in on the phone and lands on ${path}`, async ({ browser }) => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto('/m/login');
    await shot(page, 'phone-login');
    await signInOnPhone(page, user, new RegExp(`${path}$`));
    await expect(page.locator('.van-nav-bar__title')).toHaveText(heading);
    await shot(page, `landing-${user}`);
    await context.close();
  });
}

test('community staff sign in and land in the console', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await shot(page, 'console-login');
  await page.locator('input[name=userName]').fill('community01');
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.locator('[data-test=who]')).toContainText('社区');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('[data-test=cases]')).toBeVisible();
  await shot(page, 'landing-community01');
});
