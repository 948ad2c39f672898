// Staff typing in a phone call: keyboard only, from the caller's name to Enter, and the case exists with its number.
import { test, expect } from '@playwright/test';
import { apiAs, shot, unique } from './helpers';
import { signIn } from './console-helpers';

test.use({ viewport: { width: 1440, height: 900 } });

test('a phone call is entered with the keyboard and becomes a case', async ({ page }) => {
  const staff = await apiAs('community01');
  const places = (await (await staff.get(`/api/places?text=${encodeURIComponent('号楼')}`)).json()) as { kind: string; address: string; code: string }[];
  const building = places.find((p) => p.kind === 'building')!;
  const token = unique('来电登记');

  await signIn(page, 'community01');
  await page.locator('[data-test=menu-entry]').click();
  await expect(page.locator('input[name=callerName]')).toBeFocused();
  await page.keyboard.type('张先生');
  await page.keyboard.press('Tab');
  await expect(page.locator('input[name=phone]')).toBeFocused();
  await page.keyboard.type('13900001111');
  await page.keyboard.press('Tab');
  await expect(page.locator('input[name=place]')).toBeFocused();
  await page.keyboard.type(building.address);
  await expect(page.locator('.el-autocomplete-suggestion li').first()).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-test=picked]')).toContainText(building.address);
  await page.keyboard.press('Tab');
  await page.keyboard.type('E0101');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(page.locator('textarea[name=description]')).toBeFocused();
  await page.keyboard.type(`${token} 楼下垃圾两天没人清运`);
  await expect(page.locator('[data-test=entry-duplicates]')).toBeVisible();
  await shot(page, 'console-entry-form');
  await page.keyboard.press('Enter');

  const number = page.locator('[data-test=new-number]');
  await expect(number).toHaveText(/^\d{13}$/);
  await shot(page, 'console-entry-done');
  const created = await (await staff.get(`/api/cases/${(await number.textContent())!.trim()}`)).json();
  expect(created.description).toContain(token);
  expect(created.channel).toBe('staff-entry');
  expect(created.categoryCode).toBe('E0101');
  expect(created.reporterPhone).toBe('139****1111');
  await staff.dispose();
});
