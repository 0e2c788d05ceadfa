import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The dashboard is served by the Skyguard server from web/dist at `/`, same-origin with the API,
 * so the build uses absolute asset paths and the dev server proxies the API to a local server
 * (SKYGUARD_API, default http://127.0.0.1:3000) to keep the session cookie same-origin.
 */
const apiTarget = process.env.SKYGUARD_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Maps are written for decoding error reports but not referenced from the served files.
    sourcemap: 'hidden',
    // dist/.vite/manifest.json lets scripts/measure-bundle.mjs follow exactly what index.html loads.
    manifest: true,
    // ECharts is lazy-loaded on its own; its chunk is large by nature and not part of the shell.
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: { '/v1': { target: apiTarget, changeOrigin: false } },
  },
  preview: {
    proxy: { '/v1': { target: apiTarget, changeOrigin: false } },
  },
});
