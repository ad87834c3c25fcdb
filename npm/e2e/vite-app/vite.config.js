import { defineConfig } from "vite";
import wasm from "vite-plugin-wasm";

// The package's main entry is wasm-pack's `bundler` build, which imports its .wasm as an
// ES module: vite-plugin-wasm makes Vite understand that. `base: "./"` lets the built app
// be served from any path (the tests serve it under /vite/).
export default defineConfig({
  base: "./",
  plugins: [wasm()],
  build: { target: "es2022" },
  // As the README's: Vite 5 and 6 pre-bundle for the dev server with older targets.
  optimizeDeps: { esbuildOptions: { target: "es2022" } },
});
