#!/usr/bin/python3
"""Do the eigen-ratio maps (Li et al. 2018, Figure 7) of the depth sweep's deepest networks differ
with and without shortcuts? An independent PyTorch measurement beside the service's maps.

    /usr/bin/python3 scripts/depth-eigen-ratio.py [--width 4] [--blocks 3,5] [--grid 5] [--samples 100,500]

Each network of scripts/depth-sweep.py (the zoo's ResNet and its plain twin, trained the same way on
2,000 MNIST digits at 14x14) gets a grid over [-1, 1]^2 of the plane of its two filter-normalized
directions; at each point the extreme eigenvalues of the full Hessian of the training loss (BatchNorm
in eval mode, over the first `samples` training digits) come from 40 steps of Lanczos in float64
with full reorthogonalization, and the map holds |lambda_min / lambda_max|. One JSON line per
network: its train loss, test accuracy, and per sample count the map, its mean and its centre.
"""
import argparse, importlib.util, json, os, time
import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("sweep", os.path.join(HERE, "depth-sweep.py"))
sweep = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sweep)


def extremes(hvp, n, steps, seed=0):
    """lambda_min and lambda_max of a symmetric operator: Lanczos with full reorthogonalization."""
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(n, generator=g, dtype=torch.float64)
    basis, alpha, beta = [q / q.norm()], [], []
    for k in range(steps):
        w = hvp(basis[-1])
        alpha.append(torch.dot(w, basis[-1]).item())
        w = w - alpha[-1] * basis[-1] - (beta[-1] * basis[-2] if k > 0 else 0)
        for v in basis:
            w = w - torch.dot(w, v) * v
        b = w.norm().item()
        if b < 1e-10:
            break
        beta.append(b)
        basis.append(w / b)
    m = len(alpha)
    t = torch.diag(torch.tensor(alpha, dtype=torch.float64))
    for i in range(m - 1):
        t[i, i + 1] = t[i + 1, i] = beta[i]
    values = torch.linalg.eigvalsh(t)
    return values[0].item(), values[-1].item()


def ratio_map(net, x, y, n, steps=40):
    params = list(net.parameters())
    base = [p.data.clone() for p in params]
    dx, dy = sweep.direction(net, 1), sweep.direction(net, 2)
    net.eval()
    size = sum(p.numel() for p in params)
    ratio = np.zeros((n, n))
    for a, xa in enumerate(np.linspace(-1, 1, n)):
        for b, yb in enumerate(np.linspace(-1, 1, n)):
            for p, p0, u, v in zip(params, base, dx, dy):
                p.data = p0 + xa * u + yb * v
            grads = torch.autograd.grad(F.cross_entropy(net(x), y), params, create_graph=True)
            flat = torch.cat([g.reshape(-1) for g in grads])

            def hvp(v):
                out = torch.autograd.grad(torch.dot(flat, v.to(flat.dtype)), params, retain_graph=True)
                return torch.cat([o.reshape(-1) for o in out]).to(torch.float64)

            lo, hi = extremes(hvp, size, steps)
            ratio[b, a] = abs(lo / hi)
    for p, p0 in zip(params, base):
        p.data = p0
    return ratio


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--width", type=int, default=4)
    parser.add_argument("--blocks", default="3,5")
    parser.add_argument("--grid", type=int, default=5)
    parser.add_argument("--samples", default="100,500")
    args = parser.parse_args()
    torch.set_num_threads(1)
    x, y = sweep.digits()
    x = F.avg_pool2d(x, 2)
    xtr, ytr, xte, yte = x[:2000], y[:2000], x[8000:9000], y[8000:9000]
    for blocks in map(int, args.blocks.split(",")):
        for residual in (False, True):
            started = time.time()
            net = sweep.build(blocks, args.width, residual, 0)
            sweep.train(net, xtr, ytr, 20, 0)
            row = dict(network=f"resnet{6 * blocks + 2}{'' if residual else '-noshort'}-w{args.width}", train_loss=sweep.evaluate(net, xtr, ytr)[0], test_accuracy=sweep.evaluate(net, xte, yte)[1])
            for samples in map(int, args.samples.split(",")):
                r = ratio_map(net, xtr[:samples], ytr[:samples], args.grid)
                row[f"samples_{samples}"] = dict(mean=float(r.mean()), centre=float(r[args.grid // 2, args.grid // 2]), map=r.round(3).tolist())
            row["seconds"] = time.time() - started
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
