# A Loss Atlas compute worker for NVIDIA GPU nodes: TensorFlow.js on libtensorflow with CUDA.
#   docker build -f infra/docker/worker-gpu.Dockerfile -t lossatlas-worker-gpu .
# Run with the NVIDIA container toolkit (--gpus all); the worker advertises backend tensorflow-gpu.
#
# What the image holds: Node 22 (we support Node ^20.19 || ^22.13 || >=24, package.json engines); @tensorflow/tfjs-node-gpu 4.22.0, which loads libtensorflow 2.9.1
# (built for CUDA 11.2 and cuDNN 8.1; its sonames libcudart.so.11.0, libcublas.so.11, libcudnn.so.8
# are met by any CUDA 11.x >= 11.2 with cuDNN 8.x >= 8.1); the CUDA runtime from the base image.
# The host needs the NVIDIA driver (>= 450.80 for CUDA 11.2, >= 520 for 11.8) and the container toolkit.
# Hopper GPUs (H100, H200) need cuDNN >= 8.6 and CUDA >= 11.8:
#   --build-arg CUDA_IMAGE=nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu20.04
# Building without internet: libtensorflow and the prebuilt binding come from infra/docker/gpu-stage/
# when staged there (scripts/stage-gpu-deps.sh; see that folder's README); the npm registry (or a
# mirror, npm_config_registry) and the base image must still be at hand. A machine with no network at
# all loads an image built elsewhere: docker save lossatlas-worker-gpu | gzip > worker-gpu.tar.gz,
# then docker load < worker-gpu.tar.gz there.
# Proof on the GPU machine: docker run --rm --gpus all lossatlas-worker-gpu node server/dist/main.js bench --backend tensorflow-gpu
ARG CUDA_IMAGE=nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04
FROM ${CUDA_IMAGE}
ENV DEBIAN_FRONTEND=noninteractive NODE_ENV=production WORKER_BACKEND=tensorflow-gpu
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gnupg build-essential python3 \
 && mkdir -p /etc/apt/keyrings \
 && curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | gpg --dearmor -o /etc/apt/keyrings/nodesource.gpg \
 && echo "deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_22.x nodistro main" > /etc/apt/sources.list.d/nodesource.list \
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
# The staged files are bind-mounted for this step only (BuildKit), so they add nothing to the image.
RUN --mount=type=bind,source=infra/docker/gpu-stage,target=/tmp/gpu-stage \
    if [ -f /tmp/gpu-stage/libtensorflow-gpu-linux-x86_64-2.9.1.tar.gz ]; then \
      (cd /tmp/gpu-stage && python3 -m http.server 8765 --bind 127.0.0.1 >/dev/null 2>&1 &) \
      && sleep 2 \
      && export TFJS_NODE_BASE_URI=http://127.0.0.1:8765/libtensorflow- npm_config_tfjs_binding_binary_host_mirror=http://127.0.0.1:8765/; \
    fi \
 && npm run build -w server \
 # tfjs-node-gpu 4.22 (libtensorflow 2.9) matches tfjs-core 4.22 and needs CUDA 11.2 / cuDNN 8 as in the base image; its install
 # downloads libtensorflow, which works in an image build with network access. Saved (exact) as a dependency of the
 # server workspace in this image's package.json and lockfile, so the prune that follows keeps it.
 && npm install --save-exact -w server @tensorflow/tfjs-node-gpu@4.22.0 \
 && npm prune --omit=dev \
 && node -e "require.resolve('@tensorflow/tfjs-node-gpu', { paths: ['server'] })"
USER 1000
CMD ["node", "server/dist/main.js", "worker"]
