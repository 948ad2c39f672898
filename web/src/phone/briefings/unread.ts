// How many briefings the signed-in worker has not read yet: the badge on the phone's notices tab and home page.
import { ref } from 'vue';
import { api } from '@/api/client';

export const unreadBriefings = ref(0);

export async function refreshUnreadBriefings() {
  const { data } = await api.GET('/api/briefings/inbox');
  unreadBriefings.value = data?.unread ?? 0;
}
