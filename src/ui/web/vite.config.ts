// Builds the wizard's page into dist/ui-web, which the server serves. Preact without a plugin:
// oxc compiles JSX straight to preact's automatic runtime. No CDN, no web fonts: works offline.
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export default {
  root: here,
  base: './',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../../../dist/ui-web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // One small bundle; nothing fetched at run time.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
};
