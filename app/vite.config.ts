import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const sharedSrc = fileURLToPath(new URL('../shared/src/index.ts', import.meta.url));

export default defineConfig({
  publicDir: fileURLToPath(new URL('../public', import.meta.url)),
  resolve: { alias: { '@ihyid/shared': sharedSrc } },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // S8: maps stay in dist for the operator (no sourceMappingURL comment); the server serves them only with SERVE_SOURCE_MAPS.
    sourcemap: 'hidden',
    target: 'es2022',
    manifest: true,
    rolldownOptions: {
      output: {
        // Phone metadata and schema code serve the form and the peer protocol, not the first paint.
        // shared's core (results, errors, ids, hex) and the channel's constants form one chunk: left to
        // themselves, the lazily loaded adapters (main.tsx) would split them into chunks of a few bytes,
        // too small to compress (S8 serves every script brotli-compressed).
        codeSplitting: {
          groups: [
            { name: 'phone', test: /libphonenumber-js/ },
            { name: 'schemas', test: /valibot/ },
            { name: 'core', test: /shared[\\/]src[\\/](core[\\/]|peer[\\/]channel\.ts|contact[\\/]sex\.ts)/ },
          ],
        },
      },
    },
  },
  server: { proxy: { '/socket.io': { target: 'http://localhost:8080', ws: true } } },
  plugins: [
    react(),
    VitePWA({
      // 'prompt': a new build waits until the user accepts "Update available" (X5).
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'Ihyid',
        short_name: 'Ihyid',
        description: 'Register the people you help, find duplicates, and check overlaps with partners privately.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#0b5d53',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The first install takes control at once so the app works offline after the first load (R3).
        clientsClaim: true,
        globPatterns: ['**/*.{js,css,html,svg,png,ico,woff2}'],
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/socket\.io/, /^\/healthz/, /^\/metrics/],
      },
    }),
  ],
});
