#!/usr/bin/python3
"""Float64 PyTorch references for the engine's Hessian (server/src/engine/hessian.ts).

Run with the system Python that has torch (Debian's python3-torch, 1.13 here):

    /usr/bin/python3 scripts/make-hessian-fixtures.py [--out server/src/engine/fixtures/hessian]

Two models, each trained briefly (so it sits near a minimum, not at one) on seeded synthetic data:

- mlp_bn: 64 -> 160 -> BatchNorm1d -> ReLU -> 10 (11,840 weights in the Hessian);
- cnn: Conv(1->8, 3x3) ReLU MaxPool2, Conv(8->16, 3x3) ReLU MaxPool2, Linear(144->10) on 12x12
  images (2,664 weights in the Hessian), no BatchNorm.

For each, NAME.onnx is exported as the README documents (TrainingMode.PRESERVE, no constant
folding, so BatchNorm stays a node with its running statistics), NAME.x.npy (float32, NCHW for the
CNN) and NAME.y.npy (int64 labels) hold the data, and NAME.dir-x.onnx / NAME.dir-y.onnx hold two
filter-normalized random directions (the paper's create_random_direction with ignore='biasbn'),
each as a copy of the model whose parameters are the direction.

The Hessian is the engine's default one: of the mean cross-entropy over all samples, in eval mode
(BatchNorm uses its running statistics), over the weight tensors only (every parameter with more
than one axis: Linear and Conv weights; `ignore: biasbn` leaves biases and BatchNorm's scale and
shift out), flattened in model.parameters() order, each tensor in C order. Every Hessian-vector
product is exact double back-propagation in float64 (torch.autograd.grad of g . v).

expected.json holds per model:
- top: the 5 largest eigenvalues; lambdaMin; trace (exact: the sum of the diagonal, e_i . H e_i
  for every i). For the CNN from eigh of the explicitly built H; for the MLP from float64 Lanczos
  with full reorthogonalization run until every reported Ritz value's residual is below 1e-9 |lambda_max|
  (the residuals are recorded).
- probes: Rademacher vectors packed as bits in NAME.probes.npy (np.packbits, big-endian bits, one
  row per probe; bit 1 means -1) and z . H z of each, so the engine's Hutchinson estimate over the
  same probes can be compared with the float64 one; NAME.hz.npy is H z of the first probe (float32).
- points: (a, b), and lambdaMax, lambdaMin, ratio |lambdaMin / lambdaMax| of the Hessian at
  theta + a dx + b dy (converged float64 Lanczos), for the eigen-ratio maps.
"""
import argparse
import copy
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PROBES = 12
POINTS = [(0.0, 0.0), (0.5, 0.0), (-0.5, 0.5), (0.25, -0.75)]


class MlpBn(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 160)
        self.bn = nn.BatchNorm1d(160)
        self.fc2 = nn.Linear(160, 10)

    def forward(self, x):
        return self.fc2(F.relu(self.bn(self.fc1(x))))


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.fc = nn.Linear(16 * 3 * 3, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(x.reshape(x.size(0), -1))


def mlp_data(generator):
    y = torch.randint(0, 10, (300,), generator=generator)
    means = torch.randn(10, 64, generator=generator) * 0.12
    x = means[y] + torch.randn(300, 64, generator=generator)
    return x, y


def cnn_data(generator):
    y = torch.randint(0, 10, (200,), generator=generator)
    templates = torch.randn(10, 1, 12, 12, generator=generator)
    x = 0.3 * templates[y] + torch.randn(200, 1, 12, 12, generator=generator)
    return x, y


MODELS = [("mlp_bn", MlpBn, mlp_data, 8), ("cnn", Cnn, cnn_data, 25)]


def export(model, x, path):
    model.eval()
    torch.onnx.export(model, x, path, opset_version=13, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)


def random_direction(model, generator):
    """The paper's create_random_direction(net, 'weights', ignore='biasbn', norm='filter')."""
    direction = []
    for w in model.parameters():
        d = torch.randn(w.size(), generator=generator)
        if d.dim() <= 1:
            d.fill_(0)
        else:
            for df, wf in zip(d, w.data):
                df.mul_(wf.norm() / (df.norm() + 1e-10))
        direction.append(d)
    return direction


class Hessian:
    """v -> H v in float64 by double back-propagation, over the weight tensors (dim > 1)."""

    def __init__(self, model, x, y):
        self.model = copy.deepcopy(model).double().eval()
        self.x = x.double()
        self.y = y
        self.weights = [p for p in self.model.parameters() if p.dim() > 1]
        self.dimension = sum(p.numel() for p in self.weights)

    def move(self, theta, dx, dy, a, b):
        with torch.no_grad():
            for p, w, u, v in zip(self.model.parameters(), theta, dx, dy):
                p.copy_(w.double() + a * u.double() + b * v.double())
        self._gradient = None

    def gradient(self):
        if self._gradient is None:
            loss = F.cross_entropy(self.model(self.x), self.y)
            self._gradient = torch.autograd.grad(loss, self.weights, create_graph=True)
        return self._gradient

    def hvp(self, v):
        g = self.gradient()
        parts, start = [], 0
        for p in self.weights:
            parts.append(torch.from_numpy(v[start:start + p.numel()]).reshape(p.shape))
            start += p.numel()
        gv = sum((gi * vi).sum() for gi, vi in zip(g, parts))
        hv = torch.autograd.grad(gv, self.weights, retain_graph=True)
        return torch.cat([h.reshape(-1) for h in hv]).detach().numpy()

    def explicit(self):
        n = self.dimension
        h = np.empty((n, n))
        e = np.zeros(n)
        for i in range(n):
            e[i] = 1.0
            h[i] = self.hvp(e)
            e[i] = 0.0
        return (h + h.T) / 2


def lanczos(op, steps, seed):
    """Float64 Lanczos with full reorthogonalization (twice); Ritz values ascending and their residual bounds."""
    rng = np.random.default_rng(seed)
    n = op.dimension
    q = rng.standard_normal(n)
    q /= np.linalg.norm(q)
    basis, alpha, beta = [q], [], []
    for j in range(min(steps, n)):
        w = op.hvp(q)
        alpha.append(q @ w)
        b = np.array(basis)
        for _ in range(2):
            w -= b.T @ (b @ w)
        bnorm = np.linalg.norm(w)
        t = np.diag(alpha) + np.diag(beta, 1) + np.diag(beta, -1)
        values, vectors = np.linalg.eigh(t)
        residuals = np.abs(bnorm * vectors[-1, :])
        wanted = list(range(len(values) - 5, len(values))) + [0]
        if j >= 10 and all(residuals[i] < 1e-9 * np.abs(values).max() for i in wanted if i >= 0):
            return values, residuals
        beta.append(bnorm)
        q = w / bnorm
        basis.append(q)
    return values, residuals


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "server", "src", "engine", "fixtures", "hessian"))
    args = parser.parse_args()
    out = args.out
    os.makedirs(out, exist_ok=True)
    expected = {"torch": torch.__version__, "probes": PROBES, "points": POINTS, "models": {}}
    for index, (name, make, data, epochs) in enumerate(MODELS):
        generator = torch.Generator().manual_seed(23 + index)
        torch.manual_seed(23 + index)
        model = make()
        x, y = data(generator)
        # Brief full-batch training in train mode: near a minimum, not at one (BatchNorm's running
        # statistics move too).
        optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
        model.train()
        for _ in range(epochs):
            optimizer.zero_grad()
            F.cross_entropy(model(x), y).backward()
            optimizer.step()
        model.eval()
        np.save(os.path.join(out, f"{name}.x.npy"), x.numpy().astype(np.float32))
        np.save(os.path.join(out, f"{name}.y.npy"), y.numpy().astype(np.int64))
        export(model, x[:1], os.path.join(out, f"{name}.onnx"))
        dx = random_direction(model, generator)
        dy = random_direction(model, generator)
        for axis, d in (("x", dx), ("y", dy)):
            holder = copy.deepcopy(model)
            with torch.no_grad():
                for p, v in zip(holder.parameters(), d):
                    p.copy_(v)
            export(holder, x[:1], os.path.join(out, f"{name}.dir-{axis}.onnx"))
        # The float32 parameters the ONNX file holds, as the engine reads them.
        theta = [p.data.clone() for p in model.parameters()]
        op = Hessian(model, x, y)
        op.move(theta, dx, dy, 0.0, 0.0)
        with torch.no_grad():
            loss = F.cross_entropy(op.model(op.x), op.y).item()
        n = op.dimension
        if n <= 4000:
            h = op.explicit()
            values = np.linalg.eigvalsh(h)
            top, lambda_min, trace = values[::-1][:5], values[0], float(np.trace(h))
            how, residuals = "eigh of the explicit Hessian", None
        else:
            values, res = lanczos(op, 400, 1)
            top, lambda_min = values[::-1][:5], values[0]
            residuals = {"top": res[::-1][:5].tolist(), "lambdaMin": float(res[0])}
            e = np.zeros(n)
            trace = 0.0
            for i in range(n):
                e[i] = 1.0
                trace += op.hvp(e)[i]
                e[i] = 0.0
            how = "float64 Lanczos with full reorthogonalization; trace from every diagonal entry"
        rng = np.random.default_rng(100 + index)
        bits = rng.integers(0, 2, size=(PROBES, n), dtype=np.uint8)
        np.save(os.path.join(out, f"{name}.probes.npy"), np.packbits(bits, axis=1))
        quadratic = []
        for p in range(PROBES):
            z = 1.0 - 2.0 * bits[p].astype(np.float64)
            hz = op.hvp(z)
            if p == 0:
                np.save(os.path.join(out, f"{name}.hz.npy"), hz.astype(np.float32))
            quadratic.append(float(z @ hz))
        points = []
        for a, b in POINTS:
            op.move(theta, dx, dy, a, b)
            values, res = lanczos(op, 400, 2)
            points.append({"a": a, "b": b, "lambdaMax": float(values[-1]), "lambdaMin": float(values[0]),
                           "ratio": float(abs(values[0] / values[-1])), "residuals": [float(res[-1]), float(res[0])]})
        expected["models"][name] = {
            "dimension": n, "samples": int(x.shape[0]), "loss": loss, "method": how,
            "top": [float(v) for v in top], "lambdaMin": float(lambda_min), "trace": trace,
            **({"residuals": residuals} if residuals else {}),
            "zHz": quadratic, "points": points,
        }
        print(f"{name}: {n} weights, loss {loss:.4f}, top {[round(float(v), 5) for v in top]}, lambda_min {lambda_min:.5f}, trace {trace:.4f}")
        for p in points:
            print(f"  ({p['a']}, {p['b']}): lambda_max {p['lambdaMax']:.5f} lambda_min {p['lambdaMin']:.5f} ratio {p['ratio']:.5f}")
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    total = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    print(f"wrote {len(os.listdir(out))} files, {total} bytes, to {out}")


if __name__ == "__main__":
    main()
