// What frames every console page, by role: the menu each role gets, the home page that starts their day, the profile,
// the help guide with the support line, and signing out only when meant.
import { test, expect, type Page } from '@playwright/test';
import { apiAs, lookAtPage } from './helpers';
import { signIn } from './console-helpers';

const menuTexts = (page: Page) => page.locator('[data-test=menu] a').allInnerTexts();

test('each role gets its own menu, in groups', async ({ browser }) => {
  const menus: Record<string, string[]> = {};
  for (const user of ['community01', 'police01', 'ops', 'district']) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, user);
    menus[user] = (await menuTexts(page)).map((s) => s.replace(/\s*\d+$/, '').trim());
    if (user === 'community01') {
      await expect(page.locator('[data-test=menu] h2')).toHaveText(['日常办件', '指挥调度', '队伍与考核', '基础数据', '我的']);
      await expect(page.locator('[data-test=menu-home]')).toHaveAttribute('aria-current', 'page');
    }
    await context.close();
  }
  // Community staff enter calls and keep volunteers; they neither run the duty desk nor broadcast nor hand off to the district.
  expect(menus.community01).toEqual(expect.arrayContaining(['电话/来访登记', '志愿者扫码登录', '网格员队伍', '案件查询']));
  for (const item of ['值班值守', '应急广播', '区级移交']) expect(menus.community01).not.toContain(item);
  // A department liaison: their queues, search, map, meetings, households; no entry, devices, roster or catalogue.
  expect(menus.police01).toEqual(expect.arrayContaining(['我的待办', '案件查询', '联席会议', '个人中心', '操作指南']));
  for (const item of ['电话/来访登记', '感知设备', '网格员队伍', '案件类别', '应急广播']) expect(menus.police01).not.toContain(item);
  expect(menus.police01.length).toBeLessThan(menus.ops.length);
  // The operations centre: the duty desk, broadcasts, the district hand-off and the catalogue.
  expect(menus.ops).toEqual(expect.arrayContaining(['值班值守', '应急广播', '区级移交', '案件类别', '12345 工单']));
  // The district reads: statistics, hand-offs, broadcasts; it enters nothing.
  expect(menus.district).toEqual(expect.arrayContaining(['统计分析', '区级移交', '应急广播']));
  expect(menus.district).not.toContain('电话/来访登记');
});

test('the duty officer’s home page starts with the duty desk; overdue is red; 查看全部 leads to the whole list', async ({ page }) => {
  const ops = await apiAs('ops');
  const now = await (await ops.get('/api/duty/now')).json();
  const inbox = (await (await ops.get('/api/cases/inbox')).json()).boxes as { box: string; count: number }[];
  await signIn(page, 'ops');
  const duty = page.locator('[data-test=home-duty]');
  await expect(duty).toBeVisible();
  for (const officer of now.officers as { name: string }[]) await expect(page.locator('[data-test=home-duty-officers]')).toContainText(officer.name);
  await expect(page.locator('[data-test=home-duty-alerts]')).toContainText(now.myPendingAlerts > 0 ? `${now.myPendingAlerts} 条告警待您确认` : '没有待确认的告警');
  const overdue = inbox.find((b) => b.box === 'overdue')!;
  const box = page.locator('[data-test=home-box-overdue]');
  await expect(box).toContainText(overdue.count.toLocaleString('en-US'));
  if (overdue.count > 0) await expect(box).toHaveClass(/danger/);
  // The most urgent open cases: soonest deadline first.
  const rows = page.locator('[data-test=home-cases] [data-test=case-link]');
  await expect(rows.first()).toBeVisible();
  const listed = await (await ops.get('/api/cases?open=true&sort=due&pageSize=10')).json();
  await expect(rows).toHaveText((listed.items as { number: string }[]).map((c) => c.number));
  await expect(page.locator('[data-test=home-shortcuts]')).toContainText('接班');
  await lookAtPage(page, 'console-home-ops');
  await page.locator('[data-test=home-all-cases]').click();
  await expect(page).toHaveURL(/\/cases\?open=true&sort=due$/);
  // …the search with the same selection: open cases only, soonest due first, all of them.
  await expect(page.locator('[data-test=open-only] input')).toBeChecked();
  await expect(page.locator('[data-test=total]')).toHaveText(`共 ${listed.total} 件`);
  await ops.dispose();
});

test('the profile, the help guide with the support line, and signing out only when confirmed', async ({ page }) => {
  await signIn(page, 'community01');
  // On a phone-sized screen the menu is a drawer behind ☰ that closes once a page is chosen.
  await page.setViewportSize({ width: 360, height: 640 });
  await expect(page.locator('[data-test=menu]')).toBeHidden();
  await page.locator('[data-test=menu-button]').click();
  await expect(page.locator('[data-test=menu]')).toBeVisible();
  await page.locator('[data-test=menu-profile]').click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('[data-test=menu]')).toBeHidden();
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await page.locator('[data-test=who]').click();
  await expect(page).toHaveURL(/\/account$/);
  const me = await (await (await apiAs('community01')).get('/api/auth/me')).json();
  await expect(page.locator('[data-test=profile-name]')).toHaveText(me.displayName);
  await expect(page.locator('[data-test=profile-roles]')).toHaveText(me.roleNames.join('、'));
  await expect(page.locator('[data-test=profile-scope]')).toHaveText(me.scopeName);
  await expect(page.locator('[data-test=support-phone]')).toHaveText('拨打 029-8765 4321');
  await expect(page.locator('[data-test=support-phone]')).toHaveAttribute('href', 'tel:02987654321');
  // The alert sound can be turned off, and stays off on this computer.
  await page.locator('[data-test=alert-sound]').click();
  expect(await page.evaluate(() => localStorage.getItem('civicgrid.alertSound'))).toBe('off');
  await lookAtPage(page, 'console-profile');

  await page.locator('[data-test=help]').click();
  await expect(page).toHaveURL(/\/help$/);
  const guide = page.locator('[data-test=guide-community-staff]');
  await expect(guide).toContainText('社区工作人员');
  await expect(guide).toContainText('受理新上报');
  await expect(page.locator('[data-test=guide-subdistrict-operator]')).toHaveCount(0); // only the caller's roles
  await lookAtPage(page, 'console-help');
  await guide.getByRole('link', { name: '去办理' }).first().click();
  await expect(page).toHaveURL(/\/queues\/to-accept$/);

  // 退出登录 asks first: cancelling keeps the session; confirming ends it.
  await page.locator('[data-test=logout]').click();
  const dialog = page.getByRole('dialog', { name: '退出登录' });
  await expect(dialog).toContainText('确定退出登录吗');
  await dialog.getByRole('button', { name: '取消' }).click();
  await expect(page).toHaveURL(/\/queues\/to-accept$/);
  expect((await page.request.get('/api/auth/me')).status()).toBe(200);
  await page.locator('[data-test=logout]').click();
  await dialog.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect((await page.request.get('/api/auth/me')).status()).toBe(401);
  // Someone who cannot sign in finds the number to call on the sign-in page.
  await expect(page.locator('[data-test=login-support]')).toContainText('登录遇到问题？请拨打 029-8765 4321');
});
