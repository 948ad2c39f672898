// The caller's unread message count, shared by the bell (console header) and the phone's 消息 tab. Refreshed when a page
// asks, when the tab becomes visible again, after a live case event (staff, server-sent events), and otherwise every 30 s.
import { ref } from 'vue';
import { api } from '@/api/client';
import { onLiveCase, debounced } from '@/shared/live';
import './messages';

export const unreadCount = ref(0);

export async function refreshUnread(): Promise<void> {
  try {
    const { data } = await api.GET('/api/notifications/unread-count');
    if (data) unreadCount.value = data.unread;
  } catch {
    // offline: keep the last count
  }
}

let watchers = 0;
let stop: (() => void) | undefined;

/** Keeps the count fresh while at least one caller watches; `live` listens to the case feed too (staff only). */
export function watchUnread(live: boolean): () => void {
  watchers++;
  if (watchers === 1) {
    void refreshUnread();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void refreshUnread();
    }, 30_000);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refreshUnread();
    };
    document.addEventListener('visibilitychange', onVisible);
    // A case event may have written a notification for this user: ask once the burst is over.
    const offLive = live ? onLiveCase(debounced(() => void refreshUnread(), 1500)) : undefined;
    stop = () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      offLive?.();
    };
  }
  return () => {
    watchers--;
    if (watchers === 0) {
      stop?.();
      stop = undefined;
    }
  };
}
