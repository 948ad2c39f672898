// Signing out of the console, asked first (a misclick must not throw away a half-written handling note).
import { ElMessageBox } from 'element-plus';
import { i18n } from '@/i18n';
import { useAuth } from '@/shared/auth';
import { useHelpMessages } from '@/shared/helpMessages';

export async function confirmLogout() {
  useHelpMessages();
  const t = i18n.global.t;
  try {
    await ElMessageBox.confirm(t('profile.logoutConfirm'), t('profile.logoutTitle'), {
      confirmButtonText: t('profile.logout'), cancelButtonText: t('profile.cancel'), type: 'warning',
    });
  } catch {
    return; // cancelled
  }
  await useAuth().logout();
  window.location.assign('/login');
}
