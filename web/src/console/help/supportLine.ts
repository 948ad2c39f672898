// The support line (GET /api/support), read once per page load by the help page, the profile and the sign-in page.
import { ref } from 'vue';
import { api, type Schemas } from '@/api/client';

const line = ref<Schemas['SupportResponse'] | null>(null);
let asked: Promise<void> | undefined;

export function useSupportLine() {
  asked ??= api.GET('/api/support').then(({ data }) => {
    line.value = data ?? null;
  }).catch(() => undefined);
  return line;
}
