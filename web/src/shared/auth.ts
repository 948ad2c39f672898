// The signed-in user, shared by the console and the phone pages. The session is the server's HTTP-only
// cookie (login with useCookie: true); the store only remembers who it is.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, problemText, setUnauthorizedHandler, type Schemas } from '@/api/client';
import { landingFor } from './landing';

export type CurrentUser = Schemas['CurrentUserResponse'];

export const useAuth = defineStore('auth', () => {
  const user = ref<CurrentUser | null>(null);
  const checked = ref(false);
  const roles = computed(() => user.value?.roles ?? []);
  const landing = computed(() => landingFor(roles.value));

  setUnauthorizedHandler(() => {
    user.value = null;
  });

  /** Asks the server who is signed in (once per page load unless forced). */
  async function load(force = false): Promise<CurrentUser | null> {
    if (checked.value && !force) return user.value;
    try {
      const { data } = await api.GET('/api/auth/me');
      user.value = data ?? null;
    } catch {
      user.value = null; // offline: the pages that need no account still work
    }
    checked.value = true;
    return user.value;
  }

  /** Returns null on success, else the sentence to show. */
  async function login(userName: string, password: string): Promise<string | null> {
    const { data, error } = await api.POST('/api/auth/login', { body: { userName, password, useCookie: true } });
    if (!data) return problemText(error, '登录失败');
    user.value = data.user;
    checked.value = true;
    return null;
  }

  async function logout() {
    await api.POST('/api/auth/logout').catch(() => undefined);
    user.value = null;
  }

  function hasRole(...wanted: string[]) {
    return roles.value.some((r) => wanted.includes(r));
  }

  return { user, checked, roles, landing, load, login, logout, hasRole };
});
