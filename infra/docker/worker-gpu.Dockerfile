# A Loss Atlas compute worker for NVIDIA GPU nodes: TensorFlow.js on libtensorflow with CUDA.
#   docker build -f infra/docker/worker-gpu.Dockerfile -t lossatlas-worker-gpu .
# Run with the NVIDIA container toolkit (--gpus all); the worker advertises backend tensorflow-gpu.
FROM nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04
ENV DEBIAN_FRONTEND=noninteractive NODE_ENV=production WORKER_BACKEND=tensorflow-gpu
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gnupg build-essential python3 \
 && mkdir -p /etc/apt/keyrings \
 && curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | gpg --dearmor -o /etc/apt/keyrings/nodesource.gpg \
 && echo "deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_20.x nodistro main" > /etc/apt/sources.list.d/nodesource.list \
 && apt-get update && apt-get install -y --no-install-recommends nodejs \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY server/package.json server/
COPY web/package.json web/
COPY tests/package.json tests/
RUN npm ci --workspace server --include-workspace-root
COPY server server
COPY schema schema
RUN npm run build -w server \
 # tfjs-node-gpu 4.22 (libtensorflow 2.9) matches tfjs-core 4.22 and needs CUDA 11.2 / cuDNN 8 as in the base image; its install
 # downloads libtensorflow, which works in an image build with network access. Saved (exact) as a dependency of the
 # server workspace in this image's package.json and lockfile, so the prune that follows keeps it.
 && npm install --save-exact -w server @tensorflow/tfjs-node-gpu@4.22.0 \
 && npm prune --omit=dev \
 && node -e "require.resolve('@tensorflow/tfjs-node-gpu', { paths: ['server'] })"
USER 1000
CMD ["node", "server/dist/main.js", "worker"]
