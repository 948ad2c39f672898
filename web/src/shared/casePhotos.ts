// Photos of a case's handling, for the phone task page and the console's feedback dialog alike.
import { problemText, type Schemas } from '@/api/client';

/**
 * Handling photos go up first (multipart, so with fetch directly); the feedback then names their ids. `stage` says
 * whether they show the scene before handling (处置前) or the result (处置后, the server's default for a handler).
 */
export async function uploadPhotos(number: string, photos: Blob[], stage: 'before' | 'after' = 'after'): Promise<{ ids: string[] } | { text: string }> {
  const form = new FormData();
  photos.forEach((p, i) => form.append('photos', p, `${stage === 'before' ? 'before' : 'handling'}-${i + 1}.jpg`));
  try {
    const response = await fetch(`/api/cases/${encodeURIComponent(number)}/photos${stage === 'before' ? '?stage=before' : ''}`, {
      method: 'POST', body: form, credentials: 'same-origin', headers: { Accept: 'application/json' },
    });
    const body = await response.json().catch(() => undefined);
    if (!response.ok) return { text: problemText(body, `HTTP ${response.status}`) };
    return { ids: (body as Schemas['CasePhotoResponse'][]).map((p) => p.id) };
  } catch {
    return { text: '网络不通，照片没有上传，请稍后再试' };
  }
}
