"""One recurrent training step in NumPy, the "moonshot" peer of `pnpm bench rnn-numpy` (issue #3: "a NumPy/OpenBLAS
implementation of the same fused algorithm"). Bench-only: Elman never runs Python.

The same model and algorithm as the rnn suite's Elman and tfjs cases: a single-layer LSTM, GRU (PyTorch reset-after
form) or tanh RNN over x [B, T, X], MSE on a Linear(H, 1) head of the last hidden state, full BPTT, Adam. Fused like
Elman's kernels: the input projection for all time steps is one GEMM, only h_{t-1} @ W_hh^T runs per step, and the
weight gradients are all-time-step GEMMs. float32 throughout; OpenBLAS threads come from OPENBLAS_NUM_THREADS.

    python3 rnn_step.py <lstm|gru|rnn> B T X H [warmup reps]   -> prints {"ms": median step ms, ...} as JSON
    python3 rnn_step.py --check                                -> finite-difference check of every gradient (float64)
"""
import json
import sys
import time

import numpy as np

GATES = {"lstm": 4, "gru": 3, "rnn": 1}


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def init(cell, X, H, dtype, rng):
    G = GATES[cell] * H
    k = 1.0 / np.sqrt(H)
    u = lambda *shape: rng.uniform(-k, k, shape).astype(dtype)
    return {"w_ih": u(G, X), "w_hh": u(G, H), "b_ih": u(G), "b_hh": u(G), "w_o": u(1, H), "b_o": u(1)}


def loss_and_grads(cell, p, x, y):
    """Forward over the sequence, MSE on the head, BPTT; returns (loss, grads) with grads keyed like p."""
    B, T, X = x.shape
    H = p["w_hh"].shape[1]
    xp = (x.reshape(B * T, X) @ p["w_ih"].T + p["b_ih"]).reshape(B, T, -1)  # [B, T, GH]
    hs = np.zeros((T + 1, B, H), x.dtype)  # h_0 … h_T
    if cell == "lstm":
        cs = np.zeros((T + 1, B, H), x.dtype)
        acts = np.empty((T, B, 4 * H), x.dtype)  # i, f, g, o after their nonlinearities
        tc = np.empty((T, B, H), x.dtype)
        for t in range(T):
            a = xp[:, t] + hs[t] @ p["w_hh"].T + p["b_hh"]  # [B, 4H]
            i, f, g, o = sigmoid(a[:, :H]), sigmoid(a[:, H:2 * H]), np.tanh(a[:, 2 * H:3 * H]), sigmoid(a[:, 3 * H:])
            cs[t + 1] = f * cs[t] + i * g
            tc[t] = np.tanh(cs[t + 1])
            hs[t + 1] = o * tc[t]
            acts[t] = np.concatenate([i, f, g, o], axis=1)
    elif cell == "gru":
        acts = np.empty((T, B, 3 * H), x.dtype)  # r, z, n
        hn = np.empty((T, B, H), x.dtype)  # (h_{t-1} W_hn^T + b_hn), the reset-after term
        for t in range(T):
            hp = hs[t] @ p["w_hh"].T + p["b_hh"]  # [B, 3H]
            r = sigmoid(xp[:, t, :H] + hp[:, :H])
            z = sigmoid(xp[:, t, H:2 * H] + hp[:, H:2 * H])
            n = np.tanh(xp[:, t, 2 * H:] + r * hp[:, 2 * H:])
            hs[t + 1] = (1 - z) * n + z * hs[t]
            acts[t] = np.concatenate([r, z, n], axis=1)
            hn[t] = hp[:, 2 * H:]
    else:
        for t in range(T):
            hs[t + 1] = np.tanh(xp[:, t] + hs[t] @ p["w_hh"].T + p["b_hh"])
    out = hs[T] @ p["w_o"].T + p["b_o"]  # [B, 1]
    diff = out - y
    loss = float(np.mean(diff * diff))
    dout = (2.0 / diff.size) * diff
    g = {"w_o": dout.T @ hs[T], "b_o": dout.sum(0)}
    dh = dout @ p["w_o"]  # [B, H]
    dxp = np.empty_like(xp)  # ∂L/∂(input projection) for every step
    dhp = np.empty_like(xp) if cell == "gru" else dxp  # ∂L/∂(recurrent projection)
    if cell == "lstm":
        dc = np.zeros((B, H), x.dtype)
        for t in range(T - 1, -1, -1):
            i, f, gg, o = (acts[t][:, k * H:(k + 1) * H] for k in range(4))
            do = dh * tc[t]
            dc = dc + dh * o * (1 - tc[t] * tc[t])
            di, df, dg = dc * gg, dc * cs[t], dc * i
            dc = dc * f
            dxp[:, t] = np.concatenate([di * i * (1 - i), df * f * (1 - f), dg * (1 - gg * gg), do * o * (1 - o)], axis=1)
            dh = dxp[:, t] @ p["w_hh"]
    elif cell == "gru":
        for t in range(T - 1, -1, -1):
            r, z, n = (acts[t][:, k * H:(k + 1) * H] for k in range(3))
            dn = dh * (1 - z) * (1 - n * n)
            dz = dh * (hs[t] - n) * z * (1 - z)
            dr = dn * hn[t] * r * (1 - r)
            dxp[:, t] = np.concatenate([dr, dz, dn], axis=1)
            dhp[:, t] = np.concatenate([dr, dz, dn * r], axis=1)
            dh = dh * z + dhp[:, t] @ p["w_hh"]
    else:
        for t in range(T - 1, -1, -1):
            dxp[:, t] = dh * (1 - hs[t + 1] * hs[t + 1])
            dh = dxp[:, t] @ p["w_hh"]
    flat = lambda a: a.reshape(B * T, -1)
    g["w_ih"] = flat(dxp).T @ x.reshape(B * T, X)
    g["b_ih"] = flat(dxp).sum(0)
    g["w_hh"] = flat(dhp).T @ flat(hs[:T].transpose(1, 0, 2))
    g["b_hh"] = flat(dhp).sum(0)
    return loss, g


class Adam:
    """torch.optim.Adam defaults (lr 1e-3, betas 0.9/0.999, eps 1e-8), in place."""

    def __init__(self, p):
        self.m = {k: np.zeros_like(v) for k, v in p.items()}
        self.v = {k: np.zeros_like(v) for k, v in p.items()}
        self.t = 0

    def step(self, p, g, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8):
        self.t += 1
        c1, c2 = 1 - b1 ** self.t, 1 - b2 ** self.t
        for k in p:
            m, v = self.m[k], self.v[k]
            m *= b1
            m += (1 - b1) * g[k]
            v *= b2
            v += (1 - b2) * g[k] * g[k]
            p[k] -= (lr / c1) * m / (np.sqrt(v / c2) + eps)


def check():
    """Central differences in float64 against every analytic gradient, for each cell."""
    rng = np.random.default_rng(0)
    for cell in GATES:
        p = init(cell, 3, 4, np.float64, rng)
        x = rng.standard_normal((2, 5, 3))
        y = rng.standard_normal((2, 1))
        _, g = loss_and_grads(cell, p, x, y)
        worst = 0.0
        for k, v in p.items():
            for idx in np.ndindex(v.shape):
                old = v[idx]
                v[idx] = old + 1e-6
                lp, _ = loss_and_grads(cell, p, x, y)
                v[idx] = old - 1e-6
                lm, _ = loss_and_grads(cell, p, x, y)
                v[idx] = old
                worst = max(worst, abs((lp - lm) / 2e-6 - g[k][idx]))
        print(f"{cell}: max |numeric - analytic| = {worst:.2e}")
        assert worst < 1e-7, cell


def main():
    if sys.argv[1:] == ["--check"]:
        return check()
    cell, B, T, X, H = sys.argv[1], *map(int, sys.argv[2:6])
    warmup, reps = (int(sys.argv[6]), int(sys.argv[7])) if len(sys.argv) > 7 else (2, 5)
    rng = np.random.default_rng(1)
    p = init(cell, X, H, np.float32, rng)
    x = rng.standard_normal((B, T, X)).astype(np.float32)
    y = rng.standard_normal((B, 1)).astype(np.float32)
    opt = Adam(p)
    times, losses = [], []
    for r in range(warmup + reps):
        start = time.perf_counter()
        loss, g = loss_and_grads(cell, p, x, y)
        opt.step(p, g)
        if r >= warmup:
            times.append((time.perf_counter() - start) * 1000)
        losses.append(loss)
    print(json.dumps({"ms": float(np.median(times)), "reps": reps, "firstLoss": losses[0], "lastLoss": losses[-1], "numpy": np.__version__}))


if __name__ == "__main__":
    main()
