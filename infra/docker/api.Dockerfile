# The Loss Atlas API and web app. Build from the repository root:
#   docker build -f infra/docker/api.Dockerfile -t lossatlas-api .
# Node ^20.19 || ^22.13 || >=24 (package.json engines; scripts/check-engines.mjs checks every package against it).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY server/package.json server/
COPY web/package.json web/
COPY tests/package.json tests/
RUN npm ci --workspace server --workspace web --include-workspace-root
COPY server server
COPY web web
COPY schema schema
RUN npm run build

FROM node:22-bookworm-slim
ENV NODE_ENV=production PORT=4000
WORKDIR /app
COPY package.json package-lock.json ./
COPY server/package.json server/
COPY web/package.json web/
COPY tests/package.json tests/
RUN npm ci --omit=dev --workspace server --include-workspace-root && npm cache clean --force
COPY --from=build /app/server/dist server/dist
COPY --from=build /app/server/bin server/bin
COPY --from=build /app/server/migrations server/migrations
COPY --from=build /app/server/onnx server/onnx
COPY --from=build /app/web/dist web/dist
COPY schema schema
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "server/dist/main.js", "serve"]
