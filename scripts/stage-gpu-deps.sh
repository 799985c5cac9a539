#!/bin/sh
# Fetches the two files that @tensorflow/tfjs-node-gpu@4.22.0 downloads at install into
# infra/docker/gpu-stage/, so that infra/docker/worker-gpu.Dockerfile builds without reaching
# storage.googleapis.com (see infra/docker/gpu-stage/README.md). Run where that host is reachable.
set -eu
stage="$(dirname "$0")/../infra/docker/gpu-stage"
base=https://storage.googleapis.com
mkdir -p "$stage/napi-v8/4.22.0"
curl -fL --retry 3 -o "$stage/libtensorflow-gpu-linux-x86_64-2.9.1.tar.gz" "$base/tensorflow/libtensorflow/libtensorflow-gpu-linux-x86_64-2.9.1.tar.gz"
curl -fL --retry 3 -o "$stage/napi-v8/4.22.0/GPU-linux-4.22.0.tar.gz" "$base/tf-builds/pre-built-binary/napi-v8/4.22.0/GPU-linux-4.22.0.tar.gz"
ls -l "$stage" "$stage/napi-v8/4.22.0"
