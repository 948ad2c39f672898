// The caller's inbox, paged newest first, for the console's and the phone's 我的消息.
import { ref } from 'vue';
import { api, type Schemas } from '@/api/client';
import { refreshUnread, unreadCount } from './unread';

export type NotificationItem = Schemas['NotificationResponse'];

export function useInbox(pageSize = 20) {
  const items = ref<NotificationItem[]>([]);
  const total = ref(0);
  const page = ref(1);
  const unreadOnly = ref(false);
  const failed = ref(false);
  const loading = ref(false);

  /** Loads page `n`; `append` keeps what is shown (the phone's 加载更多). */
  async function load(n = 1, append = false) {
    loading.value = true;
    failed.value = false;
    try {
      const { data } = await api.GET('/api/notifications', { params: { query: { page: n, pageSize, unread: unreadOnly.value || undefined } } });
      if (!data) {
        failed.value = true;
        return;
      }
      items.value = append ? [...items.value, ...data.items] : data.items;
      total.value = data.total;
      page.value = n;
      unreadCount.value = data.unread;
    } catch {
      failed.value = true;
    } finally {
      loading.value = false;
    }
  }

  async function markRead(item: NotificationItem) {
    if (item.readAt) return;
    const { response } = await api.POST('/api/notifications/{id}/read', { params: { path: { id: item.id } } });
    if (response.ok) {
      item.readAt = new Date().toISOString();
      await refreshUnread();
    }
  }

  /** Marks everything read; answers how many were marked. */
  async function markAllRead(): Promise<number> {
    const { data } = await api.POST('/api/notifications/read-all');
    const now = new Date().toISOString();
    for (const item of items.value) item.readAt ??= now;
    unreadCount.value = 0;
    return data?.marked ?? 0;
  }

  return { items, total, page, unreadOnly, failed, loading, load, markRead, markAllRead };
}
