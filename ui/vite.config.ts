/**
 * Vite (dev server and production build) and Vitest configuration for the UI that the Tauri
 * shell serves. The Tauri CLI starts `npm run dev` on port 1420 for `tauri dev` and loads
 * `ui/dist` for `tauri build`; it sets the TAURI_ENV_* variables read below.
 */
import { defineConfig } from "vitest/config";
import { fluentIcons } from "./build/fluentIcons.ts";
import { fluentThemeCss } from "./build/fluentThemeCss.ts";
import { PAGE_ICONS } from "./src/page/iconNames.ts";

// Set by `tauri dev` when the app runs on a device that needs the dev server on the network.
const devHost = process.env.TAURI_DEV_HOST;
// Set by the Tauri CLI: "windows" uses WebView2 (Chromium); macOS and Linux use WebKit.
const platform = process.env.TAURI_ENV_PLATFORM;
const debugBuild = Boolean(process.env.TAURI_ENV_DEBUG);

export default defineConfig({
  // JSX is compiled by Vite's own transformer. @vitejs/plugin-react is left out on purpose: its
  // Fast Refresh preamble is an inline <script> in the dev server's HTML, which the app's CSP
  // (script-src 'self') blocks. Edits during `tauri dev` reload the page instead.
  oxc: { jsx: { runtime: "automatic" } },
  // The page's Fluent icons and Fluent's themes as stylesheets (the page
  // draws its start screen without React or Fluent's components).
  plugins: [fluentIcons(PAGE_ICONS), fluentThemeCss()],
  // Relative asset URLs, so the bundle works from Tauri's custom protocol.
  base: "./",
  // Keep the Rust compiler's output visible when the Tauri CLI runs Vite.
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    host: devHost || false,
    hmr: devHost ? { protocol: "ws", host: devHost, port: 1421 } : undefined,
    watch: { ignored: ["**/src-tauri/**", "**/target/**"] },
  },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebView2 on Windows; WebKitGTK / WKWebView (Safari 15 or newer) elsewhere.
    target: platform === "windows" ? "chrome105" : "safari15",
    minify: !debugBuild,
    sourcemap: debugBuild,
    // The first screen's code is one small entry chunk (Preact, the page and the start screen);
    // React, Fluent UI and each Fluent screen are chunks of their own, imported with relative
    // URLs (base "./") when first opened or preloaded (src/page/hosted.ts, src/lazy.tsx).
    chunkSizeWarningLimit: 512,
    // A webview without <link rel="modulepreload"> loads the chunks through their imports anyway;
    // the polyfill would fetch() them instead, which the CSP's connect-src (IPC only) refuses.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      // The generated bindings (src/bindings.ts) name WebviewWindow's type in an import with an
      // inline `type` specifier, which keeps the module as an import for its side effects. Tauri's
      // window and webview modules have none: without this they would be a third of the entry.
      treeshake: {
        moduleSideEffects: (id: string) => !/@tauri-apps[\\/]api[\\/](webviewWindow|webview|window|dpi|image)\.js$/.test(id),
      },
      onwarn(warning, warn) {
        // Fluent's modules start with React's "use client" directive, which means nothing in a
        // client-only bundle.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
    restoreMocks: true,
  },
});
