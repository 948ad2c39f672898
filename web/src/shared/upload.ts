// Posting one file as multipart form data, for the import pages: the typed client's JSON body handling does not fit a
// FormData upload, so this goes by fetch directly, with the session cookie.

/** What the server answered: its status and JSON body (undefined when it was not JSON); undefined when the network failed. */
export interface UploadAnswer {
  ok: boolean;
  status: number;
  body: unknown;
}

export async function uploadFile(path: string, query: Record<string, string>, file: File, field = 'file'): Promise<UploadAnswer | undefined> {
  const form = new FormData();
  form.set(field, file);
  const response = await fetch(`${path}?${new URLSearchParams(query)}`, {
    method: 'POST', body: form, credentials: 'same-origin', headers: { Accept: 'application/json' },
  }).catch(() => undefined);
  if (!response) return undefined;
  return { ok: response.ok, status: response.status, body: await response.json().catch(() => undefined) };
}
