"""Side-by-side epoch times: mlp against a hand-written NumPy MLP, PyTorch (CPU) and scikit-learn.

Run through scripts/bench-peers.sh, which makes the Python environment and builds mlp. Two
workloads, the same in every implementation:

- section B: 784-256-128-64-32-10, ReLU, softmax cross-entropy, SGD with Nesterov momentum 0.9 at
  0.01, batch 128, all 60,000 MNIST training images (pixels / 255), shuffled each epoch;
- C4: the autoencoder 784-512-128-32-128-512-784, ReLU, squared error, Adam at 0.001, batch 256,
  the first 8,000 MNIST images.

Each round runs every implementation once, for --epochs epochs, in its own process at --threads
threads, and keeps the median epoch. Rounds interleave the implementations, so a slow spell of the
machine hits all of them; the report gives the median over rounds of each time and of each ratio
(ours / peer, computed within a round).
"""

import argparse
import gzip
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, kind, dims = struct.unpack(">HBB", data[:4])
    if zero != 0 or kind != 0x08:
        raise SystemExit(f"bench_peers: {path} is not an unsigned-byte IDX file")
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    import numpy as np
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find_file(directory, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    raise SystemExit(f"bench_peers: no {stem}[.gz] in {directory}")


def load_mnist(directory):
    import numpy as np
    images = read_idx(find_file(directory, "train-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255
    labels = read_idx(find_file(directory, "train-labels-idx1-ubyte")).astype(np.int64)
    return images, labels


# ---------------------------------------------------------------- the peers (one process each)

def numpy_section_b(directory, epochs, seed=1):
    import numpy as np
    X, y = load_mnist(directory)
    rng = np.random.default_rng(seed)
    sizes = [784, 256, 128, 64, 32, 10]
    W = [(rng.standard_normal((a, b)) * np.sqrt(2 / a)).astype(np.float32) for a, b in zip(sizes, sizes[1:])]
    b = [np.zeros(n, np.float32) for n in sizes[1:]]
    vW = [np.zeros_like(w) for w in W]
    vb = [np.zeros_like(v) for v in b]
    lr, mu, batch = np.float32(0.01), np.float32(0.9), 128
    eye = np.eye(10, dtype=np.float32)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(len(X))
        for first in range(0, len(X), batch):
            index = order[first:first + batch]
            activations = [X[index]]
            for layer in range(len(W)):
                z = activations[-1] @ W[layer] + b[layer]
                activations.append(np.maximum(z, 0) if layer < len(W) - 1 else z)
            logits = activations[-1]
            logits = logits - logits.max(axis=1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(axis=1, keepdims=True)
            delta = (p - eye[y[index]]) / np.float32(len(index))
            for layer in range(len(W) - 1, -1, -1):
                gW = activations[layer].T @ delta
                gb = delta.sum(axis=0)
                if layer > 0:
                    delta = (delta @ W[layer].T) * (activations[layer] > 0)
                for param, velocity, grad in ((W[layer], vW[layer], gW), (b[layer], vb[layer], gb)):
                    velocity *= mu
                    velocity -= lr * grad
                    param += mu * velocity - lr * grad
        times.append(time.perf_counter() - start)
    return times


def torch_section_b(directory, epochs, threads, seed=1):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    images, labels = load_mnist(directory)
    X, y = torch.from_numpy(images), torch.from_numpy(labels)
    sizes = [784, 256, 128, 64, 32, 10]
    layers = []
    for a, b in zip(sizes, sizes[1:]):
        layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True)
    loss_function = torch.nn.CrossEntropyLoss()
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(len(X))
        for first in range(0, len(X), 128):
            index = order[first:first + 128]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_function(model(X[index]), y[index])
            loss.backward()
            optimizer.step()
        times.append(time.perf_counter() - start)
    return times


def sklearn_c4(directory, epochs, seed=1):
    import warnings
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor
    warnings.simplefilter("ignore", ConvergenceWarning)
    X = load_mnist(directory)[0][:8000]
    model = MLPRegressor(hidden_layer_sizes=(512, 128, 32, 128, 512), activation="relu", solver="adam",
                         learning_rate_init=0.001, batch_size=256, alpha=0.0, shuffle=True, random_state=seed)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.partial_fit(X, X)
        times.append(time.perf_counter() - start)
    return times


# ---------------------------------------------------------------- ours

def mlp_epochs(binary, command, directory, epochs, threads):
    with tempfile.TemporaryDirectory() as out:
        arguments = [binary, "bench", command, "--threads", str(threads), "--epochs", str(epochs),
                     "--data-dir", directory, "--out", out]
        if command == "train":
            arguments += ["--input-kernel", "auto"]
        run = subprocess.run(arguments, capture_output=True, text=True)
        if run.returncode != 0:
            raise SystemExit(f"bench_peers: {' '.join(arguments)} failed: {run.stderr.strip()}")
        with open(os.path.join(out, "results.json")) as f:
            result = json.load(f)
    machine_seen.update(result["machine"])
    if command == "train":
        engine = next(e for e in result["engines"] if e["inputKernel"] == "auto")
        return engine["secondsPerEpoch"], result
    return result["secondsPerEpoch"], result


# The machine description from our last run (CPU, BLAS core, kernel path).
machine_seen = {}


def peer_process(name, directory, epochs, threads):
    """Runs one peer in a fresh Python process with its BLAS limited to `threads`."""
    environment = dict(os.environ)
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        environment[variable] = str(threads)
    run = subprocess.run([sys.executable, __file__, "peer", name, "--data-dir", directory, "--epochs", str(epochs),
                          "--threads", str(threads)], capture_output=True, text=True, env=environment)
    if run.returncode != 0:
        raise SystemExit(f"bench_peers: the {name} peer failed: {run.stderr.strip()[-2000:]}")
    return json.loads(run.stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["run", "peer"])
    parser.add_argument("peer", nargs="?")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--mlp")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out")
    arguments = parser.parse_args()

    if arguments.mode == "peer":
        run = {"numpy": lambda: numpy_section_b(arguments.data_dir, arguments.epochs),
               "torch": lambda: torch_section_b(arguments.data_dir, arguments.epochs, arguments.threads),
               "sklearn": lambda: sklearn_c4(arguments.data_dir, arguments.epochs)}[arguments.peer]
        print(json.dumps(run()))
        return

    import numpy
    import sklearn
    import torch
    workloads = {
        "section B epoch": [("mlp", lambda: mlp_epochs(arguments.mlp, "train", arguments.data_dir, arguments.epochs, arguments.threads)[0]),
                            (f"NumPy {numpy.__version__} (hand-written)", lambda: peer_process("numpy", arguments.data_dir, arguments.epochs, arguments.threads)),
                            (f"PyTorch {torch.__version__}", lambda: peer_process("torch", arguments.data_dir, arguments.epochs, arguments.threads))],
        "C4 autoencoder epoch": [("mlp", lambda: mlp_epochs(arguments.mlp, "autoencoder", arguments.data_dir, arguments.epochs, arguments.threads)[0]),
                                 (f"scikit-learn {sklearn.__version__}", lambda: peer_process("sklearn", arguments.data_dir, arguments.epochs, arguments.threads))],
    }
    medians = {(w, name): [] for w, entries in workloads.items() for name, _ in entries}
    for round_index in range(arguments.rounds):
        for workload, entries in workloads.items():
            for name, run in entries:
                seconds = statistics.median(run())
                medians[(workload, name)].append(seconds)
                print(f"round {round_index + 1}/{arguments.rounds}: {workload}, {name}: {seconds:.3f} s", file=sys.stderr, flush=True)

    machine = machine_seen
    lines = [f"# mlp against its peers, {arguments.threads} threads",
             "",
             f"- CPU: {machine['cpuModel']}, {machine['logicalCPUs']} logical CPUs, {' '.join(machine['vectorExtensions'])}; "
             f"OpenBLAS core {machine['blasCore']}; our kernels {machine.get('kernelPath', '?')}",
             f"- {arguments.rounds} rounds, each running every implementation for {arguments.epochs} epochs in its own "
             f"process and keeping its median epoch; below, the median over rounds (ratios are ours / peer within a "
             f"round, then the median)",
             ""]
    for workload, entries in workloads.items():
        ours = medians[(workload, "mlp")]
        lines += [f"**{workload}**", "", "| implementation | s/epoch (median) | rounds | mlp / this |", "|---|---:|---|---:|"]
        for name, _ in entries:
            values = medians[(workload, name)]
            ratio = statistics.median(o / v for o, v in zip(ours, values))
            lines.append(f"| {name} | {statistics.median(values):.3f} | {', '.join(f'{v:.3f}' for v in values)} | {ratio:.2f}× |")
        lines.append("")
    text = "\n".join(lines)
    print(text)
    if arguments.out:
        with open(arguments.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
