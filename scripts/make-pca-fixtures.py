#!/usr/bin/python3
"""Exports a short PyTorch training run with BatchNorm as ONNX checkpoints, and a float64 numpy PCA
of it made as the paper's projection.py makes it, for the engine's PCA tests.

Run with the system Python that has torch (Debian's python3-torch, 1.13 here):

    /usr/bin/python3 scripts/make-pca-fixtures.py [--out server/src/engine/fixtures/pca]

The model is Linear(12, 16) - BatchNorm1d(16) - ReLU - Linear(16, 8) - ReLU - Linear(8, 4), trained
with SGD (momentum 0.9) in train mode, so its biases, BatchNorm affine parameters and BatchNorm
running statistics all move along with the weights. It writes:

- step-NN.onnx: the model at each checkpoint (the last one is the final model), exported in eval
  mode with training=TrainingMode.PRESERVE and do_constant_folding=False, which keeps every
  BatchNormalization node and every parameter under its state_dict name (the export the README
  documents).
- expected.json: the PCA of those checkpoints, as setup_PCA_directions and project_trajectory
  (tomgoldstein/loss-landscape, projection.py) compute it with ignore='biasbn': rows
  theta_i - theta_final for every checkpoint (the final one included, a zero row) over the weight
  tensors only (parameters of more than one dimension: biases, BatchNorm parameters and running
  statistics take no part), centred as sklearn's PCA centres them, the first two right singular
  vectors as unit directions, and the uncentred rows projected onto them. Per checkpoint it
  records the coordinates, the distance from the final model over those tensors and the distance
  off the plane; it also records the distance over every tensor of the model (biases and running
  statistics included), the number a PCA must not be compared with.

Signs follow sklearn's svd_flip (the row farthest from the mean along a component has a positive
centred coordinate); tests compare coordinates up to the sign of each component all the same.
"""
import argparse
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

STEPS_BETWEEN = 4
CHECKPOINTS = 8


class MlpBn(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(12, 16)
        self.bn = nn.BatchNorm1d(16)
        self.fc2 = nn.Linear(16, 8)
        self.fc3 = nn.Linear(8, 4)

    def forward(self, x):
        h = F.relu(self.bn(self.fc1(x)))
        return self.fc3(F.relu(self.fc2(h)))


def export(model, x, path):
    model.eval()
    torch.onnx.export(model, x, path, opset_version=13, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)


def flat(state, names):
    return np.concatenate([state[n].detach().numpy().astype(np.float64).ravel() for n in names])


def pca(rows):
    """sklearn's PCA(n_components=2).fit(rows): centred SVD, signs by svd_flip (u-based)."""
    centred = rows - rows.mean(axis=0)
    u, s, vt = np.linalg.svd(centred, full_matrices=False)
    signs = np.sign(u[np.argmax(np.abs(u), axis=0), range(u.shape[1])])
    vt = vt * signs[:, None]
    variance = s ** 2
    return vt[:2], variance[:2] / variance.sum(), variance.sum()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="server/src/engine/fixtures/pca")
    out = parser.parse_args().out
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    x = torch.randn(96, 12)
    teacher = torch.randn(12, 4)
    y = (x @ teacher).argmax(dim=1)
    model = MlpBn()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

    states = []
    files = []
    step = 0
    for k in range(CHECKPOINTS):
        if k > 0:
            model.train()
            for _ in range(STEPS_BETWEEN):
                batch = torch.arange(step * 16, step * 16 + 16) % x.shape[0]
                optimizer.zero_grad()
                F.cross_entropy(model(x[batch]), y[batch]).backward()
                optimizer.step()
                step += 1
        states.append({n: t.detach().clone() for n, t in model.state_dict().items()})
        name = f"step-{step:02d}.onnx"
        export(model, x[:1], os.path.join(out, name))
        files.append({"file": name, "step": step})

    final = states[-1]
    # ignore='biasbn': only parameters of more than one dimension (the three Linear weights).
    weights = [n for n, _ in model.named_parameters() if final[n].dim() > 1]
    every = [n for n in final if final[n].dtype.is_floating_point]
    rows = np.stack([flat(s, weights) - flat(final, weights) for s in states])
    components, ratio, total_variance = pca(rows)
    coords = rows @ components.T
    off = rows - coords @ components
    expected = {
        "about": "float64 numpy PCA of theta_i - theta_final over the weight tensors (ignore biasbn), centred as sklearn's; see scripts/make-pca-fixtures.py",
        "checkpoints": files,
        "final": files[-1]["file"],
        "tensors": weights,
        "explainedVarianceRatio": ratio.tolist(),
        # Sum of squared norms of the centred rows.
        "totalVariance": float(total_variance),
        "path": [
            {
                "step": f["step"],
                "x": float(coords[i, 0]),
                "y": float(coords[i, 1]),
                "distance": float(np.linalg.norm(rows[i])),
                "offPlane": float(np.linalg.norm(off[i])),
                "distanceAllTensors": float(np.linalg.norm(flat(states[i], every) - flat(final, every))),
            }
            for i, f in enumerate(files)
        ],
    }
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print(f"wrote {len(files)} checkpoints and expected.json to {out}; explained variance {ratio[0]:.4f}, {ratio[1]:.4f}")


if __name__ == "__main__":
    main()
