# A Loss Atlas compute worker without a GPU (WebAssembly backend), for CPU node pools and CI.
#   docker build -f infra/docker/worker-cpu.Dockerfile -t lossatlas-worker-cpu .
# Node ^20.19 || ^22.13 || >=24 (package.json engines; scripts/check-engines.mjs checks every package against it).
FROM node:22-bookworm-slim
ENV NODE_ENV=production WORKER_BACKEND=wasm
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY server/package.json server/
COPY web/package.json web/
COPY tests/package.json tests/
RUN npm ci --workspace server --include-workspace-root
COPY server server
COPY schema schema
RUN npm run build -w server && npm prune --omit=dev
USER node
CMD ["node", "server/dist/main.js", "worker"]
