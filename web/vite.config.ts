import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The API serves the built app; in development, Vite proxies the API to a running `npm start`.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { "/graphql": { target: "http://localhost:4000", ws: true }, "/storage": "http://localhost:4000" },
  },
  build: { outDir: "dist", sourcemap: true, chunkSizeWarningLimit: 2000 },
});
