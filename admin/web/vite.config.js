import { defineConfig } from 'vite';

// The app is served under any base path (/, or /admin/ behind via): every
// URL in the build is relative, and admin's server adds a <base> element.
export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // No inlined assets: the CSP allows scripts and styles from 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
