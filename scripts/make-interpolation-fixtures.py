#!/usr/bin/python3
"""Reference interpolations between two PyTorch models, in float64, for the engine's tests.

Run with the system Python that has torch (Debian's python3-torch):

    /usr/bin/python3 scripts/make-interpolation-fixtures.py [--out server/src/engine/fixtures/interpolation]

Two pairs of models, each pair one architecture trained twice from different seeds with different
batch sizes (so the two minima differ, BatchNorm's running statistics included):

- cnn: Conv2d(1, 6, 3) - BatchNorm2d - ReLU - MaxPool2d(2) - Flatten - Linear(150, 10), 12x12 images;
- mlp: Linear(16, 24) - ReLU - Linear(24, 4), no BatchNorm.

For each it writes NAME.a.onnx and NAME.b.onnx (exported with training=TrainingMode.PRESERVE and
do_constant_folding=False from models in eval mode, opset 17: BatchNorm kept, as the README
documents), NAME.x.npy (float32, NCHW for the CNN) and NAME.y.npy (int64 labels), and in
expected.json, per model pair, mean cross-entropy and accuracy in eval mode (float64) of:

- "states": the authors' interpolation with --dir_type states (net_plotter.set_states): every entry
  of the state_dict moves, (1 - t) * A + t * B, BatchNorm running mean and variance included. A
  running variance that the line takes below zero (t outside [0, 1]) is clamped at 0, as the
  engine does (the values of t where that happened are listed in "clampedVariance");
- "weights_hold_a": --dir_type weights (net_plotter.set_weights over model.parameters()): only the
  parameters move; the running statistics stay model A's;
- "weights_hold_b": the same with model B's running statistics;
- "a", "b": each model alone.
"""
import argparse
import copy
import io
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

T = [-0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5]


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 6, 3)
        self.bn = nn.BatchNorm2d(6)
        self.fc = nn.Linear(6 * 5 * 5, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn(self.conv(x))), 2)
        return self.fc(torch.flatten(x, 1))


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(16, 24)
        self.fc2 = nn.Linear(24, 4)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


def images(n, seed):
    """12x12 images of 10 classes: a class-dependent bright bar plus noise."""
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 10, (n,), generator=g)
    x = 1.2 * torch.randn(n, 1, 12, 12, generator=g)
    for i in range(n):
        c = int(y[i])
        if c < 5:
            x[i, 0, 2 * c + 1, :] += 0.8
        else:
            x[i, 0, :, 2 * (c - 5) + 1] += 0.8
    return x, y


def vectors(n, seed):
    g = torch.Generator().manual_seed(seed)
    centres = torch.randn(4, 16, generator=torch.Generator().manual_seed(99))
    y = torch.randint(0, 4, (n,), generator=g)
    x = centres[y] + 2.0 * torch.randn(n, 16, generator=g)
    return x, y


def train(model, x, y, seed, batch, steps, lr):
    torch.manual_seed(seed)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    model.train()
    g = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        idx = torch.randint(0, x.shape[0], (batch,), generator=g)
        opt.zero_grad()
        F.cross_entropy(model(x[idx]), y[idx]).backward()
        opt.step()
    model.eval()
    return model


def export(model, x, path):
    model.eval()
    torch.onnx.export(model, x[:1], path, opset_version=17, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)


def evaluate(model, state, x, y):
    """Mean cross-entropy and accuracy in eval mode, float64, of the network holding `state`."""
    net = copy.deepcopy(model).double()
    net.load_state_dict({k: v.double() if v.is_floating_point() else v for k, v in state.items()})
    net.eval()
    with torch.no_grad():
        logits = net(x.double())
        loss = F.cross_entropy(logits, y).item()
        accuracy = (logits.argmax(1) == y).double().mean().item()
    return loss, accuracy


def line(model, a, b, x, y, mode):
    """Loss and accuracy along t for one interpolation mode (see the module's docstring)."""
    losses, accuracies, clamped = [], [], set()
    for t in T:
        state = {}
        for k in a:
            va, vb = a[k].double(), b[k].double()
            running = k.endswith("running_mean") or k.endswith("running_var") or k.endswith("num_batches_tracked")
            if mode == "states" or not running:
                v = (1 - t) * va + t * vb
            else:
                v = va if mode == "weights_hold_a" else vb
            if k.endswith("running_var"):
                if (v < 0).any():
                    clamped.add(t)
                v = v.clamp(min=0)
            if k.endswith("num_batches_tracked"):
                v = a[k]
            state[k] = v
        loss, accuracy = evaluate(model, state, x, y)
        losses.append(loss)
        accuracies.append(accuracy)
    return {"loss": losses, "accuracy": accuracies, "clampedVariance": sorted(clamped)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="server/src/engine/fixtures/interpolation")
    out = parser.parse_args().out
    os.makedirs(out, exist_ok=True)
    expected = {"t": T, "models": {}}
    cases = [
        ("cnn", Cnn, images, dict(a=dict(seed=1, batch=16, steps=150, lr=0.02), b=dict(seed=2, batch=128, steps=60, lr=0.1))),
        ("mlp", Mlp, vectors, dict(a=dict(seed=3, batch=8, steps=120, lr=0.02), b=dict(seed=4, batch=64, steps=60, lr=0.1))),
    ]
    for name, cls, make, runs in cases:
        x_train, y_train = make(512, 10)
        x, y = make(200, 11)
        models = {}
        for which in ("a", "b"):
            torch.manual_seed(runs[which]["seed"])
            models[which] = train(cls(), x_train, y_train, **runs[which])
            export(models[which], x, os.path.join(out, f"{name}.{which}.onnx"))
        np.save(os.path.join(out, f"{name}.x.npy"), x.numpy().astype(np.float32))
        np.save(os.path.join(out, f"{name}.y.npy"), y.numpy().astype(np.int64))
        a, b = models["a"].state_dict(), models["b"].state_dict()
        # The engine reads the float32 files: the reference starts from the same float32 values.
        x32 = torch.from_numpy(x.numpy().astype(np.float32))
        entry = {"runs": runs}
        for which, state in (("a", a), ("b", b)):
            loss, accuracy = evaluate(models["a"], state, x32, y)
            entry[which] = {"loss": loss, "accuracy": accuracy}
        for mode in ("states", "weights_hold_a", "weights_hold_b"):
            entry[mode] = line(models["a"], a, b, x32, y, mode)
        expected["models"][name] = entry
        print(name, "A", entry["a"], "B", entry["b"], "states", [round(v, 4) for v in entry["states"]["loss"]])
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main()
