// Signing in to the staff console in a browser page (the API side is helpers.ts' apiAs).
import { expect, type Page } from '@playwright/test';
import { password } from './helpers';

export async function signIn(page: Page, userName: string) {
  await page.goto('/login');
  await page.locator('input[name=userName]').fill(userName);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.locator('[data-test=menu]')).toBeVisible();
}
