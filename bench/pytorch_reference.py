#!/usr/bin/python3
# pytorch_reference.py — the seed models in PyTorch, timed like bench-engine (comparison only).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds the same architecture and optimizer as ConvStudio's seed models (Keras defaults:
# glorot-uniform kernels, BatchNormalization momentum 0.99 / epsilon 1e-3, Adam or RMSprop
# with epsilon 1e-7), trains for a number of steps on the same data and batch size, then
# predicts, and prints one JSON line with images per second. Never a runtime dependency of
# ConvStudio: run by bench/run-bench only.

import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
from torch import nn


def seed_model(name):
    if name == "fashion-mnist":
        channels, side, dropout, hidden, classes = 1, 28, 0.2, 64, 10
    else:
        channels, side, dropout, hidden, classes = 3, 128, 0.25, 512, 2
    layers = []
    in_channels = channels
    for filters in (32, 64, 128):
        layers += [
            nn.Conv2d(in_channels, filters, 3),
            nn.ReLU(),
            # Keras momentum 0.99 is PyTorch momentum 0.01.
            nn.BatchNorm2d(filters, eps=1e-3, momentum=0.01),
            nn.MaxPool2d(2),
            nn.Dropout(dropout),
        ]
        in_channels = filters
        side = (side - 2) // 2
    layers += [
        nn.Flatten(),
        nn.Linear(128 * side * side, hidden),
        nn.ReLU(),
        nn.BatchNorm1d(hidden, eps=1e-3, momentum=0.01),
        nn.Dropout(0.5),
        nn.Linear(hidden, classes),
    ]
    model = nn.Sequential(*layers)
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(module.weight)
            nn.init.zeros_(module.bias)
    return model, channels


def load_images(name, count):
    if name == "fashion-mnist":
        folder = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
        with gzip.open(os.path.join(folder, "train-images-idx3-ubyte.gz")) as f:
            x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)[:count]
        with gzip.open(os.path.join(folder, "train-labels-idx1-ubyte.gz")) as f:
            y = np.frombuffer(f.read(), np.uint8, offset=8)[:count]
        return x.astype(np.float32) / 255, y.astype(np.int64)
    return synthetic_images(count)


def bench_hash(x):
    """Chris Wellons' lowbias32 on uint32 arrays: bench-engine.c's bench_hash."""
    x = x ^ (x >> 16)
    x = x * np.uint32(0x7FEB352D)
    x = x ^ (x >> 15)
    x = x * np.uint32(0x846CA68B)
    return x ^ (x >> 16)


def synthetic_images(count):
    """The Dogs-vs-Cats stand-in bench-engine generates: pixel i of the NHWC array is
    (hash(i) & 255) / 255, label n is hash(n ^ 0xA5A5A5A5) & 1. Returned as NCHW."""
    x = np.empty((count, 128, 128, 3), np.float32)
    flat = x.reshape(-1)
    step = 1 << 22
    for start in range(0, flat.size, step):
        index = np.arange(start, min(start + step, flat.size), dtype=np.uint32)
        flat[start:start + index.size] = (bench_hash(index) & 0xFF).astype(np.float32) / 255
    labels = bench_hash(np.arange(count, dtype=np.uint32) ^ np.uint32(0xA5A5A5A5)) & 1
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2)), labels.astype(np.int64)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=["fashion-mnist", "dogs-vs-cats"], required=True)
    parser.add_argument("--batch-size", type=int, required=True)
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model, _ = seed_model(args.model)
    if args.model == "fashion-mnist":
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    else:
        optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    loss_function = nn.CrossEntropyLoss()

    n = args.batch_size * (args.steps + args.warmup)
    x, y = load_images(args.model, min(n, 60000) if args.model == "fashion-mnist" else n)
    x, y = torch.from_numpy(x), torch.from_numpy(y)

    def batch(step):
        start = (step * args.batch_size) % (len(x) - args.batch_size + 1)
        return x[start:start + args.batch_size], y[start:start + args.batch_size]

    model.train()
    for step in range(args.steps + args.warmup):
        if step == args.warmup:
            began = time.perf_counter()
        inputs, labels = batch(step)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_function(model(inputs), labels)
        loss.backward()
        optimizer.step()
    train_seconds = time.perf_counter() - began

    model.eval()
    with torch.no_grad():
        for step in range(args.steps + args.warmup):
            if step == args.warmup:
                began = time.perf_counter()
            model(batch(step)[0]).softmax(1)
    predict_seconds = time.perf_counter() - began

    images = args.batch_size * args.steps
    print(json.dumps({
        "framework": "pytorch " + torch.__version__,
        "model": args.model,
        "batch_size": args.batch_size,
        "threads": args.threads,
        "train_images_per_second": images / train_seconds,
        "predict_images_per_second": images / predict_seconds,
        "final_loss": float(loss),
    }))


if __name__ == "__main__":
    main()
