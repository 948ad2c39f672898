// Photos taken or chosen on the phone, compressed before anything keeps them (see compress.ts), with preview URLs.
import { ref } from 'vue';
import { compressPhoto } from './compress';

export interface TakenPhoto {
  blob: Blob;
  url: string;
}

export function usePhotos(max = 9) {
  const photos = ref<TakenPhoto[]>([]);

  /** Adds the files of a file input (as many as still fit) and clears the input so the same file can be taken again. */
  async function addFrom(input: HTMLInputElement) {
    for (const file of Array.from(input.files ?? []).slice(0, max - photos.value.length)) {
      const blob = await compressPhoto(file);
      photos.value.push({ blob, url: URL.createObjectURL(blob) });
    }
    input.value = '';
  }

  /** Adds photos already compressed (from WeChat's picker), as many as still fit. */
  function addBlobs(blobs: readonly Blob[]) {
    for (const blob of blobs.slice(0, max - photos.value.length)) photos.value.push({ blob, url: URL.createObjectURL(blob) });
  }

  function remove(i: number) {
    URL.revokeObjectURL(photos.value[i]!.url);
    photos.value.splice(i, 1);
  }

  function clear() {
    photos.value.forEach((p) => URL.revokeObjectURL(p.url));
    photos.value = [];
  }

  return { photos, addFrom, addBlobs, remove, clear };
}
