// Policy briefings (政策宣传): community staff compose one in the console with the live recipient count and follow its read
// figures; a micro-grid volunteer reads it on the phone in elder-friendly type and confirms with the big button; the
// system admin's grid import shows codes written in the statistics bureau's 12-digit form being read as ours.
import { test, expect } from '@playwright/test';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiAs, shot, signInOnPhone, unique } from './helpers';
import { signIn } from './console-helpers';

interface Detail { summary: { id: string; recipients: number; read: number; confirmed: number; outstanding: number }; receipts: { userId: string }[] }

test('community staff compose and send a briefing with the live count, and see who read and confirmed it', async ({ page }) => {
  const staff = await apiAs('community01');
  const expected = await (await staff.post('/api/briefings/preview', { data: { kinds: ['grid-leader'] } })).json();
  expect(expected.count).toBeGreaterThan(0);
  const title = unique('关于做好冬季防火宣传的通知 e2e-');

  await signIn(page, 'community01');
  await page.locator('[data-test=menu-briefings]').click();
  await expect(page.locator('[data-test=briefings-page]')).toBeVisible();
  await page.locator('[data-test=compose]').click();
  const dialog = page.locator('[data-test=compose-dialog]');
  await dialog.locator('input[name=title]').fill(title);
  await dialog.locator('textarea[name=body]').fill('# 冬季防火\n\n- 检查楼道堆物\n- 提醒居民**不要**在室内给电动车充电');
  await expect(dialog.locator('[data-test=recipient-count]')).toContainText('请选择接收范围');
  await dialog.locator('[data-test=kind-grid-leader]').click();
  await expect(dialog.locator('[data-test=recipient-count]')).toContainText(`将发送给 ${expected.count} 人`);
  await shot(page, 'console-briefing-compose');
  await dialog.locator('[data-test=send]').click();

  const detail = page.locator('[data-test=briefing-detail]');
  await expect(detail).toBeVisible();
  await expect(detail.locator('[data-test=stat-read]')).toContainText('0');
  await expect(detail.locator('[data-test=stat-outstanding]')).toContainText(String(expected.count));
  await expect(detail.locator('[data-test=unread-by-grid]')).toBeVisible();

  // One leader reads and confirms on their phone (here through the API); the sender's figures follow.
  const list = (await (await staff.get('/api/briefings')).json()) as { id: string; title: string }[];
  const sent = list.find((b) => b.title === title)!;
  const full = (await (await staff.get(`/api/briefings/${sent.id}`)).json()) as Detail;
  expect(full.summary.recipients).toBe(expected.count);
  const leader = await apiAs('leader01');
  expect((await leader.post(`/api/briefings/inbox/${sent.id}/confirm`)).status()).toBe(200);

  await detail.locator('.el-drawer__close-btn').click();
  await page.locator(`[data-test=briefing-${sent.id}]`).click();
  await expect(detail.locator('[data-test=stat-read]')).toContainText('1');
  await expect(detail.locator('[data-test=stat-confirmed]')).toContainText('1');
  await detail.locator('[data-test=remind]').click();
  // The send's message may still be fading out: look for the reminder's own.
  await expect(page.locator('.el-message', { hasText: '已提醒' })).toContainText(`已提醒 ${expected.count - 1} 人`);
  await shot(page, 'console-briefing-detail');
  const after = (await (await staff.get(`/api/briefings/${sent.id}`)).json()) as Detail;
  expect(after.summary.confirmed).toBe(1);
});

test('a micro-grid volunteer reads a briefing on the phone in large type and confirms it with one tap', async ({ browser }) => {
  const staff = await apiAs('community01');
  const volunteer = await apiAs('micro01');
  const me = await (await volunteer.get('/api/auth/me')).json();
  const title = unique('垃圾分类宣传要点 e2e-');
  const sent = await staff.post('/api/briefings', {
    data: {
      title, body: '请向楼院居民讲解四分类。\n\n- 厨余垃圾\n- 可回收物', attachmentUrl: null, requiresConfirmation: true,
      dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(), audience: { gridCodes: [me.scopeCode], kinds: ['micro-grid-worker'] },
    },
  });
  expect(sent.status()).toBe(201);
  const id = (await sent.json()).summary.id as string;

  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await signInOnPhone(page, 'micro01', /\/m\/tasks$/);
  await expect(page.locator('html')).toHaveClass(/elder/);
  await expect(page.locator('[data-test=home-briefings-unread]')).toBeVisible();
  await page.locator('[data-test=home-briefings]').click();
  await expect(page).toHaveURL(/\/m\/briefings$/);
  const item = page.locator(`[data-test=briefing-${id}]`);
  await expect(item.locator('[data-test=unread-badge]')).toBeVisible();
  // Unread first: the first notice of the list carries the badge.
  await expect(page.locator('[data-test=briefing-list] .van-cell').first().locator('[data-test=unread-badge]')).toBeVisible();
  await shot(page, 'phone-briefings');
  await item.click();

  const notice = page.locator('[data-test=briefing-notice]');
  await expect(notice).toContainText(title);
  await expect(notice.locator('li')).toHaveCount(2);
  const fontSize = await notice.locator('.notice-body').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  expect(fontSize).toBeGreaterThanOrEqual(20);
  const button = page.locator('[data-test=briefing-confirm]');
  expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(56);
  await shot(page, 'phone-briefing-notice');
  await button.click();
  await expect(page.locator('[data-test=briefing-confirmed]')).toContainText('您已于');
  await shot(page, 'phone-briefing-confirmed');

  const detail = (await (await staff.get(`/api/briefings/${id}`)).json()) as Detail;
  expect(detail.summary.confirmed).toBe(1);
  await page.goto('/m/briefings');
  await expect(page.locator(`[data-test=briefing-${id}] [data-test=unread-badge]`)).toHaveCount(0);
  await context.close();
});

test('the grid import page says which codes in the 12-digit published form were read as ours', async ({ page }) => {
  const box = (w: number) => ({ type: 'Polygon', coordinates: [[[w, 34.4], [w + 0.02, 34.4], [w + 0.02, 34.41], [w, 34.41], [w, 34.4]]] });
  const feature = (code: string, name: string, level: string, parentCode?: string) =>
    ({ type: 'Feature', geometry: box(109.9), properties: { code, name, level, ...(parentCode ? { parentCode } : {}) } });
  const file = join(mkdtempSync(join(tmpdir(), 'civicgrid-e2e-')), 'published-codes.geojson');
  writeFileSync(file, JSON.stringify({
    type: 'FeatureCollection',
    features: [
      feature('610199000000', '测试区', 'district'),
      feature('610199001000', '测试街道', 'subdistrict', '610199000000'),
      feature('610199001001', '测试社区', 'community', '610199001000'),
    ],
  }));

  await signIn(page, 'admin');
  await page.locator('[data-test=menu-grid-import]').click();
  await page.locator('[data-test=grid-file] input[type=file]').setInputFiles(file);
  await page.locator('[data-test=grid-import]').click(); // a dry run by default: nothing is stored

  await expect(page.locator('[data-test=grid-import-result]')).toContainText('检查通过');
  const lines = page.locator('[data-test=grid-normalisations] li');
  await expect(lines).toHaveCount(4);
  await expect(page.locator('[data-test=normalised-subdistrict-code]')).toContainText('1 个街道编码按统计用区划代码的 12 位写法给出，已转换为 9 位编码（例：610199001000 → 610199001）');
  await shot(page, 'console-grid-import-normalised');
});
