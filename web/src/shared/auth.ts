// The signed-in user, shared by the console and the phone pages. The session is the server's HTTP-only
// cookie (login with useCookie: true); the store only remembers who it is.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, problemText, setUnauthorizedHandler, type Schemas } from '@/api/client';
import { landingFor } from './landing';

export type CurrentUser = Schemas['CurrentUserResponse'];
export type SecondFactorChallenge = Schemas['SecondFactorChallengeResponse'];

/** What a password sign-in came to: signed in, refused (the sentence to show), or a second step to take. */
export type LoginResult = { error: string; challenge?: undefined } | { error?: undefined; challenge: SecondFactorChallenge } | { error?: undefined; challenge?: undefined };

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

  /** Signed in, refused, or (the password was right) a second-factor challenge to answer with completeSecondFactor or enrolment. */
  async function login(userName: string, password: string): Promise<LoginResult> {
    const { data, error, response } = await api.POST('/api/auth/login', { body: { userName, password, useCookie: true } });
    if (!data) return { error: problemText(error, '登录失败') };
    if (response.status === 202) return { challenge: data as SecondFactorChallenge };
    signedIn((data as Schemas['LoginResponse']).user);
    return {};
  }

  /** The second step with a code or a recovery code; null when signed in, else the sentence to show. */
  async function completeSecondFactor(challenge: string, answer: { code: string } | { recoveryCode: string }): Promise<string | null> {
    const { data, error } = await api.POST('/api/auth/login/second-factor', {
      body: { challenge, code: 'code' in answer ? answer.code : null, recoveryCode: 'recoveryCode' in answer ? answer.recoveryCode : null },
    });
    if (!data) return problemText(error, '验证失败');
    signedIn(data.user);
    return null;
  }

  /** A volunteer's phone redeems a sign-in code and becomes a trusted device; null when signed in. */
  async function signInWithCode(code: string): Promise<string | null> {
    const { data, error } = await api.POST('/api/auth/trusted-device', { body: { code, useCookie: true } });
    if (!data) return problemText(error, '登录失败');
    signedIn(data.user);
    return null;
  }

  function signedIn(who: CurrentUser) {
    user.value = who;
    checked.value = true;
  }

  async function logout() {
    await api.POST('/api/auth/logout').catch(() => undefined);
    user.value = null;
  }

  function hasRole(...wanted: string[]) {
    return roles.value.some((r) => wanted.includes(r));
  }

  return { user, checked, roles, landing, load, login, completeSecondFactor, signInWithCode, signedIn, logout, hasRole };
});
