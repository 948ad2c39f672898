// Emergency broadcast (应急广播): the operations centre picks the grid of a demo speaker, previews who will receive the
// message, confirms and sends; the log shows each speaker and worker (this server has no MQTT broker, so the speaker fails
// at once, saying so); a grid worker of that grid confirms with 收到 on the phone and the log follows without a reload.
import { test, expect } from '@playwright/test';
import { apiAs, password, phoneContext, shot, unique } from './helpers';
import { signIn } from './console-helpers';

interface Preview { grids: { code: string; name: string }[]; speakers: { code: string; name: string }[]; workers: { code: string; name: string }[] }

test('the operations centre picks a grid, previews, sends, and a worker confirms on the phone', async ({ page, browser }) => {
  const ops = await apiAs('ops');
  const devices = (await (await ops.get('/api/devices')).json()) as { code: string; kind: string; gridCode: string }[];
  const speaker = devices.find((d) => d.code === 'SPK-0001' && d.kind === 'speaker')!;
  const third = speaker.gridCode.slice(0, 16);
  const expected = (await (await ops.post('/api/broadcasts/preview', { data: { gridCodes: [third] } })).json()) as Preview;
  expect(expected.speakers.map((s) => s.code)).toContain('SPK-0001');
  expect(expected.workers.length).toBeGreaterThan(0);
  const worker = { userName: expected.workers[0]!.code };
  const text = unique('燃气管道抢修，请附近居民关闭燃气阀门、远离现场。编号 ');

  await signIn(page, 'ops');
  await page.locator('[data-test=menu-broadcasts]').click();
  await expect(page.locator('[data-test=composer]')).toBeVisible();
  const composerMap = page.locator('[data-test=broadcast-map]').first();
  await expect(composerMap).toHaveAttribute('data-loaded', 'true');
  const viewOf = async () => (await composerMap.getAttribute('data-view'))!.split(',').map(Number) as [number, number, number, number];
  const before = await viewOf();
  await page.locator('[data-test=grid-select]').click();
  await page.keyboard.type(expected.grids[0]!.name);
  await page.getByRole('option', { name: expected.grids[0]!.name, exact: true }).click();
  await page.keyboard.press('Escape');
  // The map zooms to the grid picked by name: the view holds the grid's box and is closer than the opening view.
  const box = ((await (await ops.get(`/api/grids/${third}`)).json()).bbox as (number | string)[]).map(Number);
  await expect.poll(async () => {
    const [w, s, e, n] = await viewOf();
    return w <= box[0]! + 1e-4 && s <= box[1]! + 1e-4 && e >= box[2]! - 1e-4 && n >= box[3]! - 1e-4 && e - w < (before[2] - before[0]) / 2;
  }, { message: `the map's view should fit ${third} ${box.join(',')}` }).toBe(true);
  await page.getByRole('textbox', { name: '广播内容' }).fill(text);
  await expect(page.locator('[data-test=counter]')).toContainText(`${text.length} / 200`);
  await page.locator('[data-test=preview]').click();
  const preview = page.locator('[data-test=preview-result]');
  await expect(preview).toContainText(`${expected.speakers.length} 台音柱、${expected.workers.length} 名网格员将收到`);
  await expect(preview.locator('[data-test=preview-speakers]')).toContainText(expected.speakers[0]!.name);
  await shot(page, 'console-broadcast-compose');

  await page.locator('[data-test=send]').click();
  const confirm = page.locator('[data-test=confirm]');
  await expect(confirm).toContainText(text);
  await shot(page, 'console-broadcast-confirm');
  await confirm.locator('[data-test=confirm-send]').click();
  const detail = page.locator('[data-test=detail]');
  await expect(detail.locator('[data-test=detail-text]')).toHaveText(text);
  await expect(detail.locator('[data-test=state-SPK-0001]')).toHaveText('失败', { timeout: 15_000 });
  await expect(detail.locator('[data-test=deliveries]')).toContainText('未配置 MQTT');
  // The failure reason reads in full at 1280 px: wrapped inside its cell, the cell inside the table, the table inside the card.
  const reason = detail.locator('[data-test=reason-SPK-0001]');
  await expect(reason).toContainText('未配置 MQTT');
  const fit = await reason.evaluate((el) => {
    const cell = el.closest('.cell')!;
    const table = el.closest('.el-table')!.getBoundingClientRect();
    const card = el.closest('.el-card')!.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    return {
      clipped: cell.scrollWidth > cell.clientWidth + 1 || cell.scrollHeight > cell.clientHeight + 1,
      insideTable: r.left >= table.left - 1 && r.right <= table.right + 1,
      insideCard: table.right <= card.right + 1,
    };
  });
  expect(fit).toEqual({ clipped: false, insideTable: true, insideCard: true });
  await expect(detail.locator(`[data-test=state-${worker.userName}]`)).toHaveText('已发送');
  await expect(page.locator('[data-test=log]')).toContainText(text);

  // The worker sees the red bar on the phone's home page and confirms.
  const phone = await phoneContext(browser);
  const mobile = await phone.newPage();
  // Signing in on a loaded machine may take longer than the helper's default wait.
  await mobile.goto('/m/login');
  await mobile.locator('input[name=userName]').fill(worker.userName);
  await mobile.locator('input[name=password]').fill(password);
  await mobile.getByRole('button', { name: '登录', exact: true }).click();
  await expect(mobile).toHaveURL(/\/m\/tasks/, { timeout: 45_000 });
  await mobile.locator('[data-test=home-broadcasts-outstanding]').click();
  await expect(mobile).toHaveURL(/\/m\/broadcasts/);
  const card = mobile.locator('[data-test^=broadcast-]', { hasText: text });
  await expect(card).toBeVisible();
  await shot(mobile, 'phone-broadcast');
  await card.locator('[data-test=ack]').click();
  await expect(card.locator('[data-test=acked]')).toContainText('已确认');
  await shot(mobile, 'phone-broadcast-acknowledged');
  await phone.close();

  // The console's log follows by itself while acknowledgements are outstanding.
  await expect(detail.locator(`[data-test=state-${worker.userName}]`)).toHaveText('已确认', { timeout: 15_000 });
  await shot(page, 'console-broadcast-log');
});
