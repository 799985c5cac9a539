#!/usr/bin/python3
"""Float64 PyTorch references for the zoo's ResNets and their plain twins (server/src/engine/zoo-resnet.ts).

Run with the system Python that has torch (Debian's python3-torch, 1.13 here):

    /usr/bin/python3 scripts/make-resnet-fixtures.py [--out server/src/engine/fixtures/zoo-resnet]

The network is the CIFAR ResNet of He et al. (2016) as the loss-landscape authors use it: a 3x3
stem, three stages of basic blocks (width, 2 x width, 4 x width channels; stride 2 at the start of
the second and third stage), BatchNorm after every convolution, 1x1 projection shortcuts where the
shape changes, global average pooling, a linear layer; the plain twin drops the shortcuts. An
optional average pooling downsamples the input first. Written here from the paper, independently
of the engine's ONNX builder.

For each case NAME, the folder holds NAME.json (the architecture, and the state dict's tensors in
order with their shapes), NAME.params.npy (those tensors one after another, float32, each in C order
in PyTorch's layout: conv OIHW, linear [out, in]), NAME.x.npy (float32 NCHW images) and NAME.logits.npy (float64: the network in
eval mode, evaluated in float64 on the float32 weights and images).
"""
import argparse, json, os
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride, residual):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.residual = residual
        self.shortcut = nn.Sequential()
        if residual and (stride != 1 or cin != cout):
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        if self.residual:
            out = out + self.shortcut(x)
        return F.relu(out)


class Net(nn.Module):
    def __init__(self, channels, blocks, width, residual, downsample, classes):
        super().__init__()
        self.downsample = downsample
        self.conv1 = nn.Conv2d(channels, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        cin = width
        for stage, cout in enumerate([width, 2 * width, 4 * width]):
            layers = []
            for b in range(blocks):
                layers.append(Block(cin, cout, 2 if stage > 0 and b == 0 else 1, residual))
                cin = cout
            setattr(self, f"layer{stage + 1}", nn.Sequential(*layers))
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        if self.downsample > 1:
            x = F.avg_pool2d(x, self.downsample)
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


CASES = [
    dict(name="plain_mnist", channels=1, size=28, blocks=2, width=4, residual=False, downsample=2, classes=10),
    dict(name="residual_mnist", channels=1, size=28, blocks=2, width=4, residual=True, downsample=2, classes=10),
    dict(name="residual_rgb", channels=3, size=8, blocks=1, width=3, residual=True, downsample=1, classes=5),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="server/src/engine/fixtures/zoo-resnet")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for i, case in enumerate(CASES):
        torch.manual_seed(100 + i)
        net = Net(case["channels"], case["blocks"], case["width"], case["residual"], case["downsample"], case["classes"])
        # Non-trivial BatchNorm: random scale, shift and running statistics, so eval mode matters.
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                with torch.no_grad():
                    m.weight.uniform_(0.5, 1.5)
                    m.bias.normal_(0, 0.2)
                    m.running_mean.normal_(0, 0.2)
                    m.running_var.uniform_(0.5, 2.0)
        state = {k: v for k, v in net.state_dict().items() if not k.endswith("num_batches_tracked")}
        names = list(state.keys())
        flat = np.concatenate([state[k].numpy().astype(np.float32).ravel() for k in names])
        np.save(os.path.join(args.out, f"{case['name']}.params.npy"), flat)
        x = torch.rand(4, case["channels"], case["size"], case["size"], dtype=torch.float32)
        np.save(os.path.join(args.out, f"{case['name']}.x.npy"), x.numpy())
        net64 = net.double().eval()
        with torch.no_grad():
            logits = net64(x.double())
        np.save(os.path.join(args.out, f"{case['name']}.logits.npy"), logits.numpy())
        with open(os.path.join(args.out, f"{case['name']}.json"), "w") as f:
            json.dump({**case, "params": [{"name": k, "shape": list(state[k].shape)} for k in names]}, f, indent=1)
        print(case["name"], len(names), "tensors", logits.shape)


if __name__ == "__main__":
    main()
