// Grid names by code for pages whose records carry only a grid's code (location offers, devices, places): loaded once
// per console session from GET /api/grids (the caller's scope); an unknown code stays a code.
import { ref } from 'vue';
import { api } from '@/api/client';
import './caseWork.css';

const names = ref(new Map<string, string>());
let loading: Promise<void> | null = null;

export function useGridNames() {
  loading ??= api.GET('/api/grids').then(({ data }) => {
    names.value = new Map((data ?? []).map((g) => [g.code, g.name]));
  });
  return { gridName: (code: string | null | undefined) => (code ? names.value.get(code) ?? code : '') };
}
