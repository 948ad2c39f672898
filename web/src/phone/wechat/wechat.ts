// The residents' WeChat end in the phone pages. Inside WeChat (user agent MicroMessenger) and only when the server has an
// official account configured: sign in by WeChat's web authorisation once per visit, load the JS-SDK (the script URL comes
// from the server: the official jweixin in production, a local shim in tests), configure it with the server's signature,
// and use WeChat's position (GCJ-02, asked for explicitly) and photo picker. Outside WeChat nothing here runs.
import { api, type Schemas } from '@/api/client';
import { compressPhoto } from '../report/compress';
import type { Position } from '../report/position';
import { forgetToken, myReports } from '../report/myReports';

export const inWeChat = typeof navigator !== 'undefined' && /MicroMessenger/i.test(navigator.userAgent);

interface WeChatSdk {
  config(c: { debug: boolean; appId: string; timestamp: number; nonceStr: string; signature: string; jsApiList: string[] }): void;
  ready(f: () => void): void;
  error(f: (e: unknown) => void): void;
  getLocation(o: { type: 'gcj02'; success(r: { longitude: number; latitude: number; accuracy?: number }): void; fail(e: unknown): void; cancel?(e: unknown): void }): void;
  chooseImage(o: { count: number; sizeType: string[]; sourceType: string[]; success(r: { localIds: string[] }): void; fail(e: unknown): void; cancel?(e: unknown): void }): void;
  getLocalImgData(o: { localId: string; success(r: { localData: string }): void; fail(e: unknown): void }): void;
}

let status: Promise<Schemas['WeChatStatusResponse'] | null> | undefined;

/** Whether the server has an official account (asked once per page load). */
export function weChatStatus(): Promise<Schemas['WeChatStatusResponse'] | null> {
  status ??= api.GET('/api/wechat/status').then((r) => r.data ?? null, () => null);
  return status;
}

const TRIED = 'civicgrid.wechat.signInTried';

/**
 * Inside WeChat, not signed in, the account configured, and not tried yet in this visit: goes to WeChat's authorisation
 * (the page is left; true). A failed or refused attempt is not repeated in the same visit, so the anonymous report stays.
 */
export async function signInByWeChat(signedIn: boolean, returnPath: string): Promise<boolean> {
  // Back from the authorisation page the browser may keep its fragment (#wechat_redirect) on our address: drop it.
  if (window.location.hash === '#wechat_redirect') window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  if (!inWeChat || signedIn || sessionStorage.getItem(TRIED)) return false;
  if (!(await weChatStatus())?.enabled) return false;
  sessionStorage.setItem(TRIED, '1');
  window.location.assign(`/api/wechat/sign-in?returnPath=${encodeURIComponent(returnPath)}`);
  return true;
}

/** Lets a later visit try the WeChat sign-in again (the 重新登录 button). */
export function allowWeChatSignInAgain() {
  sessionStorage.removeItem(TRIED);
}

let sdk: Promise<WeChatSdk | null> | undefined;

/** The configured JS-SDK, or null outside WeChat, without an account, or when WeChat refuses the signature. */
export function weChatSdk(): Promise<WeChatSdk | null> {
  sdk ??= load();
  return sdk;
}

async function load(): Promise<WeChatSdk | null> {
  if (!inWeChat) return null;
  const state = await weChatStatus();
  if (!state?.enabled || !state.jsSdkScriptUrl) return null;
  try {
    await new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = state.jsSdkScriptUrl!;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error('jweixin'));
      document.head.appendChild(script);
    });
    const wx = (window as unknown as { wx?: WeChatSdk }).wx;
    if (!wx) return null;
    const { data } = await api.GET('/api/wechat/js-config', { params: { query: { url: window.location.href.split('#')[0]! } } });
    if (!data) return null;
    return await new Promise<WeChatSdk | null>((resolve) => {
      const timer = window.setTimeout(() => resolve(null), 10_000);
      wx.ready(() => { window.clearTimeout(timer); resolve(wx); });
      wx.error(() => { window.clearTimeout(timer); resolve(null); });
      wx.config({ debug: false, ...data, jsApiList: ['getLocation', 'chooseImage', 'getLocalImgData'] });
    });
  } catch {
    return null;
  }
}

/** WeChat's position, asked for as GCJ-02 (what WeChat's maps use) and sent as such: the server converts it. */
export function weChatPosition(wx: WeChatSdk): Promise<Position> {
  return new Promise((resolve, reject) => wx.getLocation({
    type: 'gcj02',
    success: (r) => resolve({ lon: r.longitude, lat: r.latitude, crs: 'gcj02', accuracy: r.accuracy }),
    fail: reject,
    cancel: reject,
  }));
}

/** Photos from WeChat's picker (camera or album), read as data and compressed like any other photo. */
export function weChatPhotos(wx: WeChatSdk, count: number): Promise<Blob[]> {
  return new Promise((resolve, reject) => wx.chooseImage({
    count, sizeType: ['compressed'], sourceType: ['camera', 'album'],
    success: async ({ localIds }) => {
      try {
        const blobs: Blob[] = [];
        for (const localId of localIds) {
          const localData = await new Promise<string>((ok, fail) => wx.getLocalImgData({ localId, success: (r) => ok(r.localData), fail }));
          blobs.push(await compressPhoto(imageOf(localData)));
        }
        resolve(blobs);
      } catch (e) {
        reject(e);
      }
    },
    fail: reject,
    cancel: () => resolve([]),
  }));
}

/**
 * Reports made anonymously on this phone before the resident signed in join their account (each proved by its follow code);
 * the codes are then forgotten here, as the account follows the reports now. Answers how many joined.
 */
export async function claimLocalReports(): Promise<number> {
  const unclaimed = myReports().filter((r) => r.followToken).slice(0, 50);
  if (unclaimed.length === 0) return 0;
  const { data } = await api.POST('/api/wechat/claim-reports', { body: { reports: unclaimed.map((r) => ({ number: r.number, followToken: r.followToken! })) } });
  if (!data?.claimed.length) return 0;
  forgetToken(data.claimed);
  return data.claimed.length;
}

/** The bytes of getLocalImgData's answer: iOS gives a data URL, Android the bare base64 of a JPEG (decoded here: the page may not fetch data: URLs). */
function imageOf(localData: string): Blob {
  const comma = localData.startsWith('data:') ? localData.indexOf(',') : -1;
  const type = comma > 0 ? localData.slice(5, localData.indexOf(';')) || 'image/jpeg' : 'image/jpeg';
  const binary = atob(localData.slice(comma + 1).replace(/\s/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}
