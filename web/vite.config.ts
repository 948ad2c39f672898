import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// Two single-page apps from one project, sharing the API client, i18n and auth:
// index.html → the staff console at /, m/index.html → the phone pages at /m/.
// The server (Infrastructure/Hosting/WebPages.cs) serves dist/ and falls back to each index.html.
export default defineConfig({
  plugins: [vue()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  worker: { format: 'es' }, // MapLibre's worker is an ES module
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: {
        console: fileURLToPath(new URL('./index.html', import.meta.url)),
        phone: fileURLToPath(new URL('./m/index.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:5080', '/openapi': 'http://localhost:5080', '/health': 'http://localhost:5080' },
  },
});
