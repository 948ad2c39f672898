import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import type { Plugin } from 'vite';

// Vant's icon font is inlined as WOFF2 with a WOFF fallback on Alibaba's CDN (//at.alicdn.com). Every browser we
// support takes the WOFF2, but Chromium still asks for the fallback, which the server's Content-Security-Policy
// (font-src 'self' data:) blocks and reports, and which on an intranet would not load anyway: the pages load nothing
// from outside (docs/adr/0025-web-hardening.md). So the fallback is cut out of the built CSS.
const cdnFontFallback = /,\s*url\((["']?)(?:https?:)?\/\/at\.alicdn\.com\/[^)]*\1\)\s*format\((["'])woff\2\)/g;
function noCdnFonts(): Plugin {
  return {
    name: 'civicgrid-no-cdn-fonts',
    apply: 'build',
    generateBundle(_, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type === 'asset' && file.fileName.endsWith('.css') && typeof file.source === 'string') {
          file.source = file.source.replace(cdnFontFallback, '');
        }
      }
    },
  };
}

// Three single-page apps from one project, sharing the API client, i18n and auth:
// index.html → the staff console at /, m/index.html → the phone pages at /m/, screen/index.html → the operations
// centre's big screen at /screen/.
// The server (Infrastructure/Hosting/WebPages.cs) serves dist/ and falls back to each index.html.
export default defineConfig({
  plugins: [vue(), noCdnFonts()],
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
        screen: fileURLToPath(new URL('./screen/index.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:5080', '/openapi': 'http://localhost:5080', '/health': 'http://localhost:5080' },
  },
});
