#!/usr/bin/python3
"""A reference mode-connecting curve, trained the way timgaripov/dnn-mode-connectivity trains one,
for the engine's curve tests.

Run with the system Python that has torch (Debian's python3-torch):

    /usr/bin/python3 scripts/make-curve-fixtures.py [--out server/src/engine/fixtures/curves]

An MLP, Linear(16, 32) - ReLU - Linear(32, 32) - ReLU - Linear(32, 4), on generated data (four
classes whose label is the quadrant of two random projections of the features, so the network
must bend its boundaries), trained twice from different seeds: models A and B. Between them a
quadratic Bezier curve phi(t) = (1-t)^2 A + 2t(1-t) theta + t^2 B is trained as the reference's
train.py does with --curve Bezier --num_bends 3 --fix_start --fix_end --init_linear:

- theta starts at the midpoint of A and B (curves.CurveNet.init_linear);
- one t ~ U[0, 1] per mini-batch (CurveNet.forward), the data reshuffled every epoch;
- SGD with momentum 0.9 on theta only, constant learning rate (the reference's schedule left out,
  as the engine does);
- the reference's l2_regularizer: 0.5 * wd * ||phi(t)||^2 added to the batch's cross-entropy.

It is trained with CURVE_SEEDS (three seeds), to measure how far curves trained from one pair of
endpoints with different random streams lie apart: that spread is what a curve trained by the
engine (with its own random stream) can be expected to match, and the test's tolerance is built
on it. Evaluation is eval_curve.py's: at 61 evenly spaced t, the mean cross-entropy ("nll") and
accuracy on the training and the test set, in float64, from the float32 weights; the same along
the straight line A -> B; barrier = max along the path - mean of the two ends.

Writes a.onnx, b.onnx (opset 17), theta.onnx (the first seed's trained bend, as a model of the
same architecture), train.x.npy, train.y.npy, test.x.npy, test.y.npy (float32 features, int64
labels) and expected.json.
"""
import argparse
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

POINTS = 61
CURVE = dict(epochs=40, batch=32, lr=0.05, wd=1e-4)
CURVE_SEEDS = [0, 1, 2]


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(16, 32)
        self.fc2 = nn.Linear(32, 32)
        self.fc3 = nn.Linear(32, 4)

    def forward(self, x):
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def functional(ws, x):
    """The Mlp's forward pass with its parameters given as a list (fc1.weight, fc1.bias, ...)."""
    h = F.relu(F.linear(x, ws[0], ws[1]))
    h = F.relu(F.linear(h, ws[2], ws[3]))
    return F.linear(h, ws[4], ws[5])


def dataset(n, seed):
    g = torch.Generator().manual_seed(seed)
    projections = torch.randn(16, 2, generator=torch.Generator().manual_seed(99))
    x = torch.randn(n, 16, generator=g)
    p = x @ projections
    y = (p[:, 0] > 0).long() * 2 + (p[:, 1] > 0).long()
    return x, y


def train_endpoint(x, y, seed, steps=3000, batch=32, lr=0.05):
    torch.manual_seed(seed)
    model = Mlp()
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    g = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        idx = torch.randint(0, x.shape[0], (batch,), generator=g)
        opt.zero_grad()
        F.cross_entropy(model(x[idx]), y[idx]).backward()
        opt.step()
    return model


def bezier(t):
    """The reference's Bezier coefficients for three points: binom(2, j) t^j (1 - t)^(2 - j)."""
    return [(1 - t) ** 2, 2 * t * (1 - t), t ** 2]


def train_curve(a, b, x, y, seed):
    torch.manual_seed(seed)
    theta = [nn.Parameter(0.5 * wa + 0.5 * wb) for wa, wb in zip(a, b)]
    opt = torch.optim.SGD(theta, lr=CURVE["lr"], momentum=0.9)
    n = x.shape[0]
    for _ in range(CURVE["epochs"]):
        order = torch.randperm(n)
        for start in range(0, n, CURVE["batch"]):
            idx = order[start:start + CURVE["batch"]]
            t = torch.rand(1).item()
            c = bezier(t)
            w = [c[0] * wa + c[1] * wt + c[2] * wb for wa, wt, wb in zip(a, theta, b)]
            loss = F.cross_entropy(functional(w, x[idx]), y[idx])
            loss = loss + 0.5 * CURVE["wd"] * sum((wi ** 2).sum() for wi in w)
            opt.zero_grad()
            loss.backward()
            opt.step()
    return [p.detach().clone() for p in theta]


def measure(ws, x, y):
    with torch.no_grad():
        logits = functional([w.double() for w in ws], x.double())
        return F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).double().mean().item()


def path(points_at, x, y):
    ts = np.linspace(0.0, 1.0, POINTS)
    losses, accuracies = [], []
    for t in ts:
        loss, acc = measure(points_at(float(t)), x, y)
        losses.append(loss)
        accuracies.append(acc)
    return {"loss": losses, "accuracy": accuracies}


def barrier(values):
    return max(values) - 0.5 * (values[0] + values[-1])


def export(model, x, path_):
    model.eval()
    torch.onnx.export(model, x[:1], path_, opset_version=17, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, do_constant_folding=False)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="server/src/engine/fixtures/curves")
    out = parser.parse_args().out
    os.makedirs(out, exist_ok=True)
    x, y = dataset(512, 10)
    xt, yt = dataset(256, 11)
    models = {"a": train_endpoint(x, y, 1), "b": train_endpoint(x, y, 2)}
    for which, model in models.items():
        export(model, x, os.path.join(out, f"{which}.onnx"))
    for name, (fx, fy) in {"train": (x, y), "test": (xt, yt)}.items():
        np.save(os.path.join(out, f"{name}.x.npy"), fx.numpy().astype(np.float32))
        np.save(os.path.join(out, f"{name}.y.npy"), fy.numpy().astype(np.int64))
    a = [p.detach().clone() for p in models["a"].parameters()]
    b = [p.detach().clone() for p in models["b"].parameters()]

    def evaluate(points_at):
        tr, te = path(points_at, x, y), path(points_at, xt, yt)
        return {"train": tr, "test": te, "barrier": {"trainLoss": barrier(tr["loss"]), "testLoss": barrier(te["loss"])}}

    line = evaluate(lambda t: [(1 - t) * wa + t * wb for wa, wb in zip(a, b)])
    curves = []
    for seed in CURVE_SEEDS:
        theta = train_curve(a, b, x, y, seed)
        if seed == CURVE_SEEDS[0]:
            holder = Mlp()
            with torch.no_grad():
                for p, v in zip(holder.parameters(), theta):
                    p.copy_(v)
            export(holder, x, os.path.join(out, "theta.onnx"))
        curves.append(evaluate(lambda t, th=theta: [c0 * wa + c1 * wt + c2 * wb for wa, wt, wb in zip(a, th, b) for c0, c1, c2 in [bezier(t)]]))
        print("seed", seed, "curve barrier", round(curves[-1]["barrier"]["trainLoss"], 4), "line barrier", round(line["barrier"]["trainLoss"], 4))
    spread = max(abs(u - v) for c in curves[1:] for u, v in zip(c["train"]["loss"], curves[0]["train"]["loss"]))
    expected = {
        "points": POINTS,
        "curveOptions": CURVE,
        "curveSeeds": CURVE_SEEDS,
        "line": line,
        "curves": curves,
        "seedSpread": {"trainLoss": spread},
    }
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print("line", [round(v, 3) for v in line["train"]["loss"][::10]])
    print("curve", [round(v, 3) for v in curves[0]["train"]["loss"][::10]])
    print("seed spread of the curve's train loss", spread)


if __name__ == "__main__":
    main()
