// Signing in to the staff console in a browser page (the API side is helpers.ts' apiAs).
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { password } from './helpers';

export async function signIn(page: Page, userName: string) {
  // Under load the console's start-up may itself navigate to /login while this navigation is under way; either way the
  // sign-in form must be there.
  await page.goto('/login').catch((e: Error) => { if (!e.message.includes('interrupted by another navigation')) throw e; });
  await expect(page.locator('input[name=userName]')).toBeVisible();
  await page.locator('input[name=userName]').fill(userName);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.locator('[data-test=menu]')).toBeVisible();
}

/** The middle of the community's n-th micro-grid (demo micro-grids are convex), as a staff member's API sees it. */
export async function microGridCentre(staff: APIRequestContext, n: number): Promise<{ code: string; lon: number; lat: number }> {
  const micros = (await (await staff.get('/api/grids?level=micro')).json()) as { code: string }[];
  const code = micros[n]!.code;
  const grid = (await (await staff.get('/api/geo/grids?level=micro')).json()).features
    .find((f: { properties: { code: string } }) => f.properties.code === code);
  const ring = (grid.geometry.type === 'MultiPolygon' ? grid.geometry.coordinates[0][0] : grid.geometry.coordinates[0]) as number[][];
  const corners = ring.slice(0, -1);
  return { code, lon: corners.reduce((s, p) => s + p[0]!, 0) / corners.length, lat: corners.reduce((s, p) => s + p[1]!, 0) / corners.length };
}

/**
 * The options of one Element Plus select (the list its combobox controls), opening it first. Options of other selects
 * stay in the page after they close (hidden, or still fading out), so `getByRole('option')` alone may find theirs.
 */
export async function optionsOf(page: Page, select: Locator) {
  const combobox = select.getByRole('combobox').first();
  await combobox.click();
  const list = await combobox.getAttribute('aria-controls');
  return page.locator(`[id="${list}"]`).getByRole('option');
}

/** Signs out from the console's header: the button, then the confirmation (a misclick must not end the session). */
export async function signOut(page: Page) {
  await page.locator('[data-test=logout]').click();
  const dialog = page.getByRole('dialog', { name: '退出登录' });
  await expect(dialog).toContainText('确定退出登录吗');
  await dialog.getByRole('button', { name: '退出登录' }).click();
}

/**
 * The console's chrome (header, side menu): checked by the every-route tour, left out of a page spec's accessibility
 * check so that the spec judges the page itself — `lookAtPage(page, name, { exclude: consoleChrome })`.
 */
export const consoleChrome = ['.el-header', '.el-aside'] as const;
