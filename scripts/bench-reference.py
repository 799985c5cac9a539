#!/usr/bin/env python3
"""The PyTorch side of `npm run bench:reference`.

Evaluates a loss surface the way the authors' code of Li et al. (2018) does it
(github.com/tomgoldstein/loss-landscape: net.eval(), a DataLoader with batch size 128, mean
cross-entropy accumulated as loss * batch size, the weights set to theta + a*dx + b*dy at every
point), on the network, data and directions that the Node side exported to a folder:

  case.json   {"case": "mlp" | "cnn", "xs": [...], "ys": [...], "samples": N, "inputShape": [...],
               "params": [{"name", "layerClass", "key", "shape", "offset", "size"}, ...]}
  params.f32  theta, then dx, then dy: float32, each parameter at its offset (TF.js layouts)
  x.f32, y.f32  the samples (channels-last) and integer labels, float32

Usage: bench-reference.py FOLDER [THREADS] [LOOP], LOOP one of
  dataloader  the authors' loop as written: a DataLoader (batch 128) over the samples, which
              indexes and collates every sample at every point (default);
  batches     the same arithmetic over batches of 128 made once before the surface (what the
              authors' loop costs when its data loading is free: its fastest form).

Writes torch-LOOP.json beside them: {"seconds", "threads", "torch", "loop", "loss": [[...]],
"accuracy": [[...]]} (loss[j][i] at xs[i], ys[j]), or exits with status 3 and one line when torch
is not installed.
"""
import json
import os
import sys
import time

try:
    import numpy as np
    import torch
    from torch import nn
except ImportError as error:  # torch (Debian: python3-torch) is optional for the benchmark
    print(f"PyTorch is not available ({error}); install python3-torch to run the reference side", file=sys.stderr)
    sys.exit(3)


def build(case):
    if case == "mlp":
        return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
    if case == "cnn":
        return nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16, eps=1e-3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32, eps=1e-3), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10),
        )
    raise SystemExit(f"unknown case {case}")


def to_torch_layout(spec, values):
    """A TF.js weight in PyTorch's layout: conv kernels [kh, kw, in, out] -> [out, in, kh, kw], dense [in, out] -> [out, in]."""
    array = values.reshape(spec["shape"])
    if spec["key"] == "kernel" and spec["layerClass"] == "Conv2D":
        array = array.transpose(3, 2, 0, 1)
    elif spec["key"] == "kernel" and spec["layerClass"] == "Dense":
        array = array.T
    return torch.from_numpy(np.ascontiguousarray(array))


def main(folder, threads, loop):
    torch.set_num_threads(threads)
    with open(os.path.join(folder, "case.json")) as f:
        case = json.load(f)
    blob = np.fromfile(os.path.join(folder, "params.f32"), dtype=np.float32)
    total = sum(p["size"] for p in case["params"])
    theta_all, dx_all, dy_all = blob[:total], blob[total:2 * total], blob[2 * total:3 * total]
    net = build(case["case"])
    # Our parameters, in the model's order, matched to PyTorch's: trainable ones go to
    # net.parameters() (weight, bias / gamma, beta), BatchNorm's moving statistics to its buffers.
    trainable, stats = [], []
    for spec in case["params"]:
        sl = slice(spec["offset"], spec["offset"] + spec["size"])
        entry = (spec, theta_all[sl], dx_all[sl], dy_all[sl])
        (stats if spec["key"] in ("moving_mean", "moving_variance") else trainable).append(entry)
    params = list(net.parameters())
    assert len(params) == len(trainable), (len(params), len(trainable))
    weights, directions_x, directions_y = [], [], []
    for p, (spec, t, dx, dy) in zip(params, trainable):
        w = to_torch_layout(spec, t)
        assert tuple(w.shape) == tuple(p.shape), (spec["name"], w.shape, p.shape)
        weights.append(w)
        directions_x.append(to_torch_layout(spec, dx))
        directions_y.append(to_torch_layout(spec, dy))
    bns = [m for m in net.modules() if isinstance(m, nn.BatchNorm2d)]
    for bn, (mean, var) in zip(bns, zip(stats[0::2], stats[1::2])):
        bn.running_mean.copy_(torch.from_numpy(mean[1].copy()))
        bn.running_var.copy_(torch.from_numpy(var[1].copy()))

    n = case["samples"]
    shape = case["inputShape"]
    x = torch.from_numpy(np.fromfile(os.path.join(folder, "x.f32"), dtype=np.float32).reshape([n, *shape]))
    if len(shape) == 3:
        x = x.permute(0, 3, 1, 2).contiguous()  # NHWC -> NCHW
    y = torch.from_numpy(np.fromfile(os.path.join(folder, "y.f32"), dtype=np.float32).astype(np.int64))
    if loop == "dataloader":
        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=128, shuffle=False)
    elif loop == "batches":
        loader = [(x[s:s + 128].contiguous(), y[s:s + 128].contiguous()) for s in range(0, n, 128)]
    else:
        raise SystemExit(f"unknown loop {loop!r} (dataloader or batches)")
    criterion = nn.CrossEntropyLoss()

    def set_weights(a, b):
        # As the authors' net_plotter.set_weights: p.data = w + d, with d = dx * a + dy * b.
        for p, w, dx, dy in zip(net.parameters(), weights, directions_x, directions_y):
            p.data = w + (dx * a + dy * b)

    def eval_loss():
        # As the authors' evaluation.eval_loss.
        correct = 0
        total_loss = 0.0
        total = 0
        net.eval()
        with torch.no_grad():
            for inputs, targets in loader:
                batch_size = inputs.size(0)
                total += batch_size
                outputs = net(inputs)
                loss = criterion(outputs, targets)
                total_loss += loss.item() * batch_size
                _, predicted = torch.max(outputs.data, 1)
                correct += predicted.eq(targets).sum().item()
        return total_loss / total, correct / total

    xs, ys = case["xs"], case["ys"]
    loss = [[0.0] * len(xs) for _ in ys]
    accuracy = [[0.0] * len(xs) for _ in ys]
    started = time.perf_counter()
    for j, b in enumerate(ys):
        for i, a in enumerate(xs):
            set_weights(a, b)
            loss[j][i], accuracy[j][i] = eval_loss()
    seconds = time.perf_counter() - started
    with open(os.path.join(folder, f"torch-{loop}.json"), "w") as f:
        json.dump({"seconds": seconds, "threads": torch.get_num_threads(), "torch": torch.__version__, "loop": loop, "loss": loss, "accuracy": accuracy}, f)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2, sys.argv[3] if len(sys.argv) > 3 else "dataloader")
