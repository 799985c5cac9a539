#!/usr/bin/python3
"""Exports the ONNX fixtures of the engine's tests with PyTorch, and PyTorch's own numbers for them.

Run with the system Python that has torch (Debian's python3-torch, 1.13 here):

    /usr/bin/python3 scripts/make-onnx-fixtures.py [--out server/src/engine/onnx/fixtures]

For each small model (an MLP with BatchNorm1d, a CNN with BatchNorm, a ResNet basic block with a
projection skip, a depthwise-separable block with a grouped convolution, and a model of assorted
operators) it writes:

- NAME.folded.onnx: exported in eval mode, as torch.onnx.export does by default; BatchNorm is
  folded into the convolutions before it (the BatchNormalization nodes disappear).
- NAME.onnx: exported with training=TrainingMode.PRESERVE and do_constant_folding=False from a model
  in eval mode, which keeps every BatchNormalization node and every parameter under its
  state_dict name (the export the README documents).
- cnn_bn.training.onnx: exported with training=TrainingMode.TRAINING (BatchNorm in training mode).
- NAME.x.npy (float32, NCHW) and NAME.y.npy (int64 labels).
- NAME.dir-x.onnx, NAME.dir-y.onnx: directions made as the paper's code makes them
  (create_random_direction: a Gaussian per parameter of model.parameters(), filter-normalized
  along dim 0, 1-D parameters zeroed under ignore='biasbn'), each stored as a copy of the model
  whose parameters hold the direction, exported the same way as NAME.onnx.

expected.json holds, per model, PyTorch's logits (eval mode) for the first samples, and its
mean cross-entropy loss and accuracy at a few points (a, b) of theta + a*dx + b*dy; for the CNN
also the whole 21x21 grid on [-1, 1]^2, and the same grid along the random directions the engine (and
so the service) makes for that model by default (seed 0; printed by scripts/onnx-engine-directions.mjs,
which needs `npm run build` first). Which export calls keep BatchNorm is checked and recorded.

For the engine's trainer of ONNX models (train-network.ts) it also writes, per model of TRAINING
(a CNN with BatchNorm2d and a max pool, an MLP with BatchNorm1d ending in a softmax):

- train_NAME.onnx (the starting point, exported as NAME.onnx is), train_NAME.x.npy, train_NAME.y.npy;
- training.json: the options, and PyTorch's state_dict (parameters and BatchNorm running
  statistics, by initializer name) after training in train mode with those options on batches
  taken in order (no shuffling), plus the eval-mode loss of the result (float64).

`--training-only` writes just these (the other fixtures stay as they are).
"""
import argparse
import copy
import io
import json
import os
import subprocess

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(12, 16)
        self.bn = nn.BatchNorm1d(16)
        self.drop = nn.Dropout(0.2)
        self.fc2 = nn.Linear(16, 8)
        self.fc3 = nn.Linear(8, 4)

    def forward(self, x):
        h = self.drop(F.relu(self.bn(self.fc1(x))))
        return self.fc3(torch.tanh(self.fc2(h)))


class CnnBn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 6, 3, stride=2, padding=1)
        self.bn2 = nn.BatchNorm2d(6)
        self.fc = nn.Linear(6 * 2 * 2, 3)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.relu(self.bn2(self.conv2(x)))
        x = x.view(x.size(0), -1)
        return self.fc(x)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(8)
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)
        self.block = BasicBlock(8, 16, 2)
        self.avg = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 5)

    def forward(self, x):
        x = self.pool(F.relu(self.bn(self.conv(x))))
        x = self.avg(self.block(x))
        return self.fc(torch.flatten(x, 1))


class DwSep(nn.Module):
    def __init__(self):
        super().__init__()
        self.dw = nn.Conv2d(4, 8, 3, padding=1, groups=4)  # depthwise, channel multiplier 2
        self.bn1 = nn.BatchNorm2d(8)
        self.pw = nn.Conv2d(8, 8, 1)
        self.bn2 = nn.BatchNorm2d(8)
        self.grouped = nn.Conv2d(8, 8, 3, padding=1, groups=2)
        self.fc = nn.Linear(8 * 4 * 4, 4)

    def forward(self, x):
        x = F.relu6(self.bn1(self.dw(x)))
        x = F.relu(self.bn2(self.pw(x)))
        x = F.avg_pool2d(F.gelu(self.grouped(x)), 2)
        return F.log_softmax(self.fc(torch.flatten(x, 1)), dim=1)


class Ops(nn.Module):
    """Asymmetric padding, concatenation, arithmetic with constants, a mean over the image, a transpose."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(2, 3, 3)
        self.c2 = nn.Conv2d(2, 3, 3)
        self.fc0 = nn.Linear(5 * 7 * 6, 6)
        self.fc = nn.Linear(12, 3)

    def forward(self, x):
        y = F.pad(x, (1, 2, 0, 1))
        a = F.leaky_relu(self.c1(y), 0.1)
        b = torch.sigmoid(self.c2(y)) * 2.0 - 0.5
        z = torch.cat([a, F.elu(b)], dim=1)
        z = z / 1.5 + torch.tanh(z)
        m = z.mean(dim=(2, 3))
        t = z.permute(0, 2, 3, 1).reshape(z.size(0), -1)
        h = torch.cat([m, self.fc0(t)], 1)
        return torch.softmax(self.fc(h), dim=1)


# name, constructor, input shape (one sample), classes, samples, opset, output kind
MODELS = [
    ("mlp", Mlp, (12,), 4, 32, 11, "logits"),
    ("cnn_bn", CnnBn, (3, 8, 8), 3, 64, 17, "logits"),
    ("resblock", ResBlock, (3, 8, 8), 5, 32, 13, "logits"),
    ("dwsep", DwSep, (4, 8, 8), 4, 32, 17, "log_probs"),
    ("ops", Ops, (2, 6, 6), 3, 32, 13, "probs"),
]
class TrainMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(12, 16)
        self.bn = nn.BatchNorm1d(16, momentum=0.2)
        self.fc2 = nn.Linear(16, 4)

    def forward(self, x):
        return torch.softmax(self.fc2(F.relu(self.bn(self.fc1(x)))), dim=1)


# name, constructor, input shape, classes, samples, opset, output kind, optimizer, lr, batch size, epochs
TRAINING = [
    ("cnn", CnnBn, (3, 8, 8), 3, 64, 17, "logits", "sgd", 0.1, 16, 1),
    ("mlp", TrainMlp, (12,), 4, 32, 13, "probs", "momentum", 0.05, 8, 2),
]


def record_training(out):
    """PyTorch's own training steps, for the engine's trainer to match (see the module's comment)."""
    record = {"torch": torch.__version__, "models": {}}
    for name, make, shape, classes, samples, opset, kind, optimizer_name, lr, batch_size, epochs in TRAINING:
        torch.manual_seed(100 + len(name))
        model = make()
        x = torch.randn(samples, *shape)
        y = torch.randint(0, classes, (samples,))
        np.save(os.path.join(out, f"train_{name}.x.npy"), x.numpy().astype(np.float32))
        np.save(os.path.join(out, f"train_{name}.y.npy"), y.numpy().astype(np.int64))
        export(model, x[:1], os.path.join(out, f"train_{name}.onnx"), opset, keep_bn=True)
        momentum = 0.9 if optimizer_name == "momentum" else 0.0
        optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
        model.train()
        steps = 0
        for _ in range(epochs):
            for start in range(0, samples, batch_size):
                xb, yb = x[start:start + batch_size], y[start:start + batch_size]
                optimizer.zero_grad()
                scores = model(xb)
                log_probs = torch.log(scores) if kind == "probs" else F.log_softmax(scores, dim=1)
                F.nll_loss(log_probs, yb).backward()
                optimizer.step()
                steps += 1
        loss, accuracy = loss_and_accuracy(model, x, y, kind)
        record["models"][name] = {
            "optimizer": optimizer_name, "learningRate": lr, "batchSize": batch_size, "epochs": epochs, "steps": steps,
            "classes": classes, "output": kind, "evalLoss": loss, "evalAccuracy": accuracy,
            "state": {k: v.detach().double().flatten().tolist() for k, v in model.state_dict().items() if v.dtype.is_floating_point},
        }
    with open(os.path.join(out, "training.json"), "w") as f:
        json.dump(record, f, indent=1)
    print(f"wrote training.json and {len(TRAINING)} starting models to {out}")


ENGINE_DIRECTIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "onnx-engine-directions.mjs")
POINTS = [(0.0, 0.0), (0.5, 0.0), (0.0, -0.5), (0.3, 0.7), (-1.0, 1.0)]


def export(model, x, path, opset, keep_bn):
    """keep_bn: the documented export (BatchNorm kept); else torch's default eval-mode export."""
    model.eval()
    kwargs = {"training": torch.onnx.TrainingMode.PRESERVE, "do_constant_folding": False} if keep_bn else {}
    torch.onnx.export(model, x, path, opset_version=opset, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, **kwargs)


def random_direction(model):
    """The paper's create_random_direction(net, 'weights', ignore='biasbn', norm='filter')."""
    direction = []
    for w in model.parameters():
        d = torch.randn(w.size())
        if d.dim() <= 1:
            d.fill_(0)
        else:
            for df, wf in zip(d, w.data):
                df.mul_(wf.norm() / (df.norm() + 1e-10))
        direction.append(d)
    return direction


def loss_and_accuracy(model, x, y, kind):
    """PyTorch's loss in eval mode, computed in float64 (so the reference carries no float32 rounding)."""
    model = copy.deepcopy(model).double()
    model.eval()
    with torch.no_grad():
        out = model(x.double())
        log_probs = out if kind == "log_probs" else torch.log(out) if kind == "probs" else F.log_softmax(out, dim=1)
        loss = F.nll_loss(log_probs, y).item()
        accuracy = (out.argmax(1) == y).float().mean().item()
    return loss, accuracy


def at(model, theta, dx, dy, a, b):
    with torch.no_grad():
        for p, w, u, v in zip(model.parameters(), theta, dx, dy):
            p.copy_(w + a * u + b * v)


def bn_kept(model, x, **kwargs):
    f = io.BytesIO()
    model.eval()
    torch.onnx.export(model, x, f, opset_version=13, **kwargs)
    return b"BatchNormalization" in f.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "server", "src", "engine", "onnx", "fixtures"))
    parser.add_argument("--training-only", action="store_true", help="write only the training fixtures")
    args = parser.parse_args()
    out = args.out
    os.makedirs(out, exist_ok=True)
    record_training(out)
    if args.training_only:
        return
    torch.manual_seed(0)
    expected = {"torch": torch.__version__, "points": POINTS, "models": {}}

    probe = CnnBn()
    x = torch.randn(2, 3, 8, 8)
    expected["exports"] = {
        "default (eval)": bn_kept(probe, x),
        "do_constant_folding=False": bn_kept(probe, x, do_constant_folding=False),
        "training=PRESERVE, do_constant_folding=False": bn_kept(probe, x, training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False),
        "training=TRAINING": bn_kept(probe, x, training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False),
    }

    for name, make, shape, classes, samples, opset, kind in MODELS:
        torch.manual_seed(len(name))
        model = make()
        x = torch.randn(samples, *shape)
        y = torch.randint(0, classes, (samples,))
        # A few steps of training, so BatchNorm running statistics and weights are not the initial ones.
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        model.train()
        for _ in range(60):
            optimizer.zero_grad()
            scores = model(x)
            log_probs = scores if kind == "log_probs" else torch.log(scores) if kind == "probs" else F.log_softmax(scores, dim=1)
            F.nll_loss(log_probs, y).backward()
            optimizer.step()
        model.eval()
        np.save(os.path.join(out, f"{name}.x.npy"), x.numpy().astype(np.float32))
        np.save(os.path.join(out, f"{name}.y.npy"), y.numpy().astype(np.int64))
        export(model, x[:1], os.path.join(out, f"{name}.onnx"), opset, keep_bn=True)
        export(model, x[:1], os.path.join(out, f"{name}.folded.onnx"), opset, keep_bn=False)
        with torch.no_grad():
            logits = model(x[:4]).tolist()
        training_logits = None
        if name == "cnn_bn":
            # Exported in training mode (BatchNormalization with training_mode=1 and its running
            # statistics as extra outputs): the engine still evaluates with the running statistics.
            # A copy, as tracing in training mode updates them; its own eval-mode logits are expected.
            trained = copy.deepcopy(model)
            torch.onnx.export(trained, x[:1], os.path.join(out, f"{name}.training.onnx"), opset_version=opset,
                              input_names=["input"], output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
                              training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False)
            trained.eval()
            with torch.no_grad():
                training_logits = trained(x[:4]).tolist()

        theta = [p.data.clone() for p in model.parameters()]
        dx = random_direction(model)
        dy = random_direction(model)
        for axis, d in (("x", dx), ("y", dy)):
            holder = copy.deepcopy(model)
            with torch.no_grad():
                for p, v in zip(holder.parameters(), d):
                    p.copy_(v)
            export(holder, x[:1], os.path.join(out, f"{name}.dir-{axis}.onnx"), opset, keep_bn=True)
        losses, accuracies = [], []
        for a, b in POINTS:
            at(model, theta, dx, dy, a, b)
            loss, accuracy = loss_and_accuracy(model, x, y, kind)
            losses.append(loss)
            accuracies.append(accuracy)
        entry = {"opset": opset, "input": list(shape), "classes": classes, "samples": samples, "output": kind,
                 "logits": logits, "losses": losses, "accuracies": accuracies}
        if training_logits is not None:
            entry["training_export_logits"] = training_logits
        if name == "cnn_bn":
            axis = np.linspace(-1, 1, 21).tolist()
            grid = []
            for b in axis:
                row = []
                for a in axis:
                    at(model, theta, dx, dy, a, b)
                    row.append(loss_and_accuracy(model, x, y, kind)[0])
                grid.append(row)
            entry["grid"] = {"xs": axis, "ys": axis, "loss": grid}
            # The plane a service surface of this model evaluates by default (seed 0, filter, biasbn):
            # the engine's own random directions, evaluated by PyTorch.
            made = json.loads(subprocess.run(["node", ENGINE_DIRECTIONS, os.path.join(out, f"{name}.onnx"), "0"],
                                             check=True, capture_output=True).stdout)
            names = [n for n, _ in model.named_parameters()]
            ex = [torch.tensor(made["x"][n], dtype=torch.float32).reshape(p.shape) for n, p in zip(names, theta)]
            ey = [torch.tensor(made["y"][n], dtype=torch.float32).reshape(p.shape) for n, p in zip(names, theta)]
            grid = []
            for b in axis:
                row = []
                for a in axis:
                    at(model, theta, ex, ey, a, b)
                    row.append(loss_and_accuracy(model, x, y, kind)[0])
                grid.append(row)
            entry["engine_seed0_grid"] = {"xs": axis, "ys": axis, "loss": grid}
        at(model, theta, dx, dy, 0.0, 0.0)
        expected["models"][name] = entry

    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    total = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    print(f"wrote {len(os.listdir(out))} files, {total} bytes, to {out}; BatchNorm kept by export: {expected['exports']}")


if __name__ == "__main__":
    main()
