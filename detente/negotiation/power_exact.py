"""Exact Banzhaf and Shapley–Shubik indices for integer-weighted (and composed) games.

Both indices are averages of one quantity, the probability that a member is a
swing (the others' votes fall short of the quota, and would reach it with
hers), under two ways of drawing the others:

- Banzhaf: every other member votes yes with probability 1/2.
- Shapley–Shubik: a random order of arrival; averaged over the position of the
  member in the order this is the same as every other member voting yes with
  one common probability t, and t uniform on [0, 1] (Owen's multilinear
  extension). The swing probability is then a polynomial of degree n−1 in t,
  so Gauss–Legendre quadrature with ⌈n/2⌉ nodes integrates it *exactly*.

So one routine, "swing probability of each member at a yes-probability t",
serves both indices. It works on probabilities, not on counts, which keeps
every number between 0 and 1 (counts reach 2^n, beyond what floats hold
exactly) and makes members of equal weight one computation.

Two engines compute it:

- `_fft_swings` (one weighted rule): the distribution of the others' total
  weight is a product of factors (1−t + t·z^w), one per member, which the
  discrete Fourier transform turns into a pointwise product. Members of equal
  weight share a factor raised to a power, so the cost grows with the number of
  *distinct* weights, not with the number of members. Leaving one member out
  is a division by her factor (never zero: the transform length is odd), and
  the probability of a window of totals is a dot product with that window's
  transform. Errors are absolute, about 1e-13 on probabilities.
- `_grid_swings` (several rules that must all hold, e.g. a double majority):
  dynamic programming over the vector of weight totals, each capped at its
  quota, with members left out by prefix and suffix products.

The veto players are set aside first (`reduce_game`): they are in every
winning coalition, so the others only have to make up what the quota still
needs, and a veto player is a swing exactly when the coalition of the others
(with the other vetoes) wins.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from detente.negotiation.power_game import Game, PowerError, Reduced, reduce_game

# Work units (roughly one floating-point operation on one array element) an
# exact computation may take before `auto` prefers sampling; about a minute.
EXACT_BUDGET = 2e10
# Members up to which a game with arbitrary real weights is enumerated outright.
ENUMERATE_MAX = 20
# Bytes of working arrays per chunk of quadrature nodes (grid engine), and
# complex numbers per chunk (Fourier engine: small enough to stay in cache).
CHUNK_BYTES = 64 * 2**20
CHUNK_ELEMENTS = 2**15
# Complex numbers of per-weight transforms kept in memory across node chunks.
CACHE_ELEMENTS = 4_000_000
# Largest table of roots of unity kept for the Fourier engine.
TABLE_ELEMENTS = 4_000_000
# Float comparisons of weight sums (non-integer weights) allow this relative slack.
RELATIVE_TOLERANCE = 1e-9
# Swing probabilities below this are not computed (see `_screen_nodes`).
NEGLIGIBLE = 1e-20
# Spectrum values below this are set to zero (see `_flush_tiny`).
TINY = 1e-200


class ExactTooLarge(PowerError):
    """The game is too large (or its weights not decimals) for an exact answer in reasonable time."""


@dataclass(frozen=True)
class ExactPower:
    """Per member, in the game's player order."""

    banzhaf_raw: np.ndarray  # probability of being a swing when everyone votes yes with probability 1/2
    shapley_shubik: np.ndarray
    engine: str


ENGINES = ("auto", "fft", "grid", "enumeration")


def exact_power(
    game: Game, budget: float = EXACT_BUDGET, engine: str = "auto", shapley_shubik: bool = True
) -> ExactPower:
    """Exact indices; raises ExactTooLarge (which says what to do instead) when it cannot.

    `engine` forces one method (for cross-checks and benchmarks); "auto" takes
    the cheapest that fits the budget. Without `shapley_shubik` only the
    Banzhaf index is computed (one node instead of about n/2), and the
    Shapley–Shubik values are NaN.
    """
    if engine not in ENGINES:
        raise PowerError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    reduced = reduce_game(game)
    if engine == "enumeration":
        return enumerate_power(game)
    if not reduced.integral:
        if game.n <= ENUMERATE_MAX:
            return enumerate_power(game)
        raise ExactTooLarge(
            f"body {game.body!r}: weights that are not short decimals have no exact method beyond "
            f"{ENUMERATE_MAX} members; use sampling (--method sample) or round the weights"
        )
    return _reduced_power(game.n, reduced, budget, game, engine, shapley_shubik)


def _reduced_power(n: int, red: Reduced, budget: float, game: Game, forced: str, with_ss: bool) -> ExactPower:
    bz, ss = np.zeros(n), np.zeros(n)
    n_veto = len(red.vetoes)
    if red.quotas.size == 0:
        # The vetoes alone win: each is a swing exactly when all other vetoes are in.
        for v in red.vetoes:
            bz[v], ss[v] = 0.5 ** (n_veto - 1), 1.0 / n_veto
        return ExactPower(bz, ss, "vetoes")
    weights, counts, member_group = _groups(red.weights)
    active = int(counts.sum())
    nodes, node_weights = gauss_legendre_01((n_veto + active - 1) // 2 + 1) if with_ss else (np.zeros(0), np.zeros(0))
    ts = np.concatenate([[0.5], nodes])
    swings, win = np.zeros((len(counts), len(ts))), np.zeros(len(ts))
    live, certain_win = _screen_nodes(weights, counts, red.quotas, ts)
    win[certain_win] = 1.0
    engine = _choose_engine(weights, counts, red.quotas, int(live.sum()), budget, n) if forced == "auto" else forced
    if engine == "fft" and red.quotas.size > 1:
        raise PowerError("the Fourier engine handles one weighted rule; this body has several, use the grid engine")
    if engine == "enumeration":
        return enumerate_power(game)
    if engine is None:
        raise ExactTooLarge(
            f"body {game.body!r}: an exact answer would take too long for this game "
            f"({n} members, quotas {', '.join(str(int(q)) for q in red.quotas)}); use --method sample"
        )
    if live.any():
        if engine == "fft":
            found = _fft_swings(weights[:, 0], counts, int(red.quotas[0]), ts[live], n_veto > 0)
        else:
            found = _grid_swings(weights, counts, red.quotas.astype(np.int64), ts[live])
        swings[:, live], win[live] = found
    node_t, half = ts[1:], 0
    for position, player in enumerate(red.free):
        g = member_group[position]
        if g < 0:
            continue  # weight zero in every remaining rule: a dummy
        bz[player] = 0.5**n_veto * swings[g, half]
        ss[player] = float(np.sum(node_weights * node_t**n_veto * swings[g, 1:]))
    for v in red.vetoes:
        bz[v] = 0.5 ** (n_veto - 1) * win[half]
        ss[v] = float(np.sum(node_weights * node_t ** (n_veto - 1) * win[1:]))
    ss = np.clip(ss, 0.0, 1.0) if with_ss else np.full(n, np.nan)
    return ExactPower(np.clip(bz, 0.0, 1.0), ss, engine)


def _groups(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct non-zero weight rows, how many members have each, and each member's group (−1: all zero)."""
    rows, inverse, counts = np.unique(weights, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    nonzero = rows.any(axis=1)
    renumber = np.full(len(rows), -1)
    renumber[nonzero] = np.arange(int(nonzero.sum()))
    return rows[nonzero].astype(np.int64), counts[nonzero].astype(np.int64), renumber[inverse]


def _screen_nodes(
    weights: np.ndarray, counts: np.ndarray, quotas: np.ndarray, ts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Which nodes need computing; at the others a Chernoff bound proves every swing probability negligible.

    In a large body the swing probability is a narrow bump in t: at small t the
    others rarely reach the quota, at large t they rarely fall short of it.
    Skipping nodes where a Chernoff bound puts every swing probability below
    NEGLIGIBLE keeps the result exact to that amount and saves most of the work.
    Returns the nodes to compute, and the skipped nodes where the coalition
    certainly wins (they matter to veto players).
    """
    heaviest = weights.max(axis=0).astype(float)
    quotas = quotas.astype(float)
    below = np.zeros(len(ts))  # bound on P(some total ≤ its quota − 1 + heaviest weight)
    above = np.ones(len(ts))  # bound on P(every total ≥ its quota − heaviest weight)
    for j in range(quotas.size):
        w = weights[:, j].astype(float)
        above = np.minimum(above, _chernoff(w, counts, ts, quotas[j] - heaviest[j], upper=True))
        below = below + _chernoff(w, counts, ts, quotas[j] - 1 + heaviest[j], upper=False)
    live = (above > NEGLIGIBLE) & (below > NEGLIGIBLE)
    return live, (below <= NEGLIGIBLE) & ~live


def _chernoff(w: np.ndarray, counts: np.ndarray, ts: np.ndarray, level: float, upper: bool) -> np.ndarray:
    """A bound on P(X ≥ level) (or P(X ≤ level)), X = Σ w·Binomial(count, t), at each t.

    P(X ≥ a) ≤ E[e^{λX}] e^{−λa} for every λ > 0; taking the best of a grid of λ
    is still a valid bound, just not always the tightest.
    """
    scale = float(w.max()) or 1.0
    lambdas = np.geomspace(1e-6, 60.0, 72) / scale
    if not upper:
        lambdas = -lambdas
    t = np.clip(ts, 1e-300, 1 - 1e-16)[:, None, None]
    lam = lambdas[None, :, None]
    log_mgf = (counts[None, None, :] * np.logaddexp(np.log1p(-t), np.log(t) + lam * w[None, None, :])).sum(axis=2)
    exponent = (log_mgf - lambdas[None, :] * level).min(axis=1)
    return np.exp(np.minimum(exponent, 0.0))


def _choose_engine(
    weights: np.ndarray, counts: np.ndarray, quotas: np.ndarray, n_nodes: int, budget: float, n: int
) -> str | None:
    """The cheapest engine by an operation count, or None when all exceed the budget."""
    costs = {}
    if n <= ENUMERATE_MAX:
        costs["enumeration"] = 2.0**n * n * (quotas.size + 8)
    cells = float(np.prod(quotas.astype(float) + 1))
    costs["grid"] = 1.2 * n_nodes * cells * (3 * float(counts.sum()) + 2 * len(counts))
    if quotas.size == 1:
        half = _fft_length(int((weights[:, 0] * counts).sum()), int(quotas[0]), True) // 2 + 1
        costs["fft"] = 8.0 * n_nodes * half * len(counts) + 20.0 * len(counts) * half
    engine = min(costs, key=costs.get)
    return engine if costs[engine] <= budget else None


# -- quadrature -----------------------------------------------------------------


def gauss_legendre_01(m: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of m-point Gauss–Legendre quadrature on [0, 1].

    Newton's method on the Legendre recurrence from the usual cosine guesses;
    unlike an eigenvalue solver it stays accurate for the thousands of nodes a
    large body needs.
    """
    if m <= 0:
        return np.zeros(0), np.zeros(0)
    k = np.arange(1, m + 1)
    x = np.cos(np.pi * (k - 0.25) / (m + 0.5))
    for _ in range(100):
        p, dp = _legendre(m, x)
        step = p / dp
        x = x - step
        if np.max(np.abs(step)) < 1e-15:
            break
    _, dp = _legendre(m, x)
    w = 2.0 / ((1.0 - x * x) * dp * dp)
    order = np.argsort(x)
    return (x[order] + 1.0) / 2.0, w[order] / 2.0


def _legendre(m: int, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P_m(x) and its derivative by the three-term recurrence."""
    previous, current = np.ones_like(x), x.copy()
    if m == 0:
        return previous, np.zeros_like(x)
    for j in range(2, m + 1):
        previous, current = current, ((2 * j - 1) * x * current - (j - 1) * previous) / j
    return current, m * (x * current - previous) / (x * x - 1.0)


# -- one weighted rule: the Fourier engine ----------------------------------------------


def _fft_length(total: int, quota: int, need_win: bool) -> int:
    """An odd transform length long enough that no total we read is folded onto another.

    Totals above the length wrap around; the swing windows lie in [quota−w, quota−1]
    and only totals up to `total` exist, so length > total − quota keeps the windows
    clean. The winning probability needs the whole range. Odd, so that no factor
    1−t + t·z^w vanishes at t = 1/2.
    """
    length = total + 1 if need_win else max(quota, total - quota + 1)
    return length | 1


def _fft_swings(
    weights: np.ndarray, counts: np.ndarray, quota: int, ts: np.ndarray, need_win: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Swing probability of one member of each weight group, and the winning probability, at each t."""
    total = int((weights * counts).sum())
    length = _fft_length(total, quota, need_win)
    half = length // 2 + 1
    spectrum = np.arange(half)
    turn = _HalfTurns(length)

    def step(w: int) -> np.ndarray:
        """z^w − 1 on the spectrum (z = e^{−2πij/L}), so a member's factor is 1 + t·(z^w − 1)."""
        return np.conj(turn(2 * spectrum * w)) - 1.0

    def kernel(lo: int, hi: int) -> np.ndarray:
        """Dotted with a spectrum (as interleaved reals), gives the probability of totals lo … hi−1.

        The inverse transform of a run of n ones is a Dirichlet kernel,
        e^{iπj(2·lo+n−1)/L}·sin(πjn/L)/sin(πj/L)/L, written with sines so that no
        small difference is lost. The signal is real, so its spectrum is
        symmetric and each j ≠ 0 counts twice.
        """
        lo = max(lo, 0)
        n = hi - lo
        j = spectrum[1:]
        spec = np.empty(half, dtype=complex)
        spec[0] = n
        spec[1:] = 2.0 * (turn(j * n).imag / turn(j).imag) * turn(j * (2 * lo + n - 1))
        spec /= length
        interleaved = np.empty(2 * half)
        interleaved[0::2], interleaved[1::2] = spec.real, -spec.imag
        return interleaved

    # Kept between chunks of nodes when they fit in memory, recomputed otherwise.
    keep = len(weights) * half <= CACHE_ELEMENTS
    steps = [step(int(w)) for w in weights] if keep else None
    kernels = [kernel(quota - int(w), quota) for w in weights] if keep else None
    win_kernel = kernel(quota, total + 1) if need_win else None
    swings = np.zeros((len(weights), len(ts)))
    win = np.zeros(len(ts))
    chunk = max(1, CHUNK_ELEMENTS // half)
    for start in range(0, len(ts), chunk):
        t = ts[start:start + chunk, None]
        rows = slice(start, start + len(t))
        product = np.ones((len(t), half), dtype=complex)
        work = np.empty_like(product)
        store = len(weights) * product.size <= CACHE_ELEMENTS
        factors: list[np.ndarray | None] = []
        for g, count in enumerate(counts):
            factor = _factor(t, steps[g] if keep else step(int(weights[g])))
            _multiply_power(product, factor, int(count), work)
            _flush_tiny(product)
            factors.append(factor if store else None)
        if win_kernel is not None:
            win[rows] = product.view(float) @ win_kernel
        for g, w in enumerate(weights):
            factor = factors[g] if store else _factor(t, steps[g] if keep else step(int(w)))
            np.divide(product, factor, out=work)
            swings[g, rows] = work.view(float) @ (kernels[g] if keep else kernel(quota - int(w), quota))
    return swings, win


class _HalfTurns:
    """e^{iπk/L} for integer k: angles reduced exactly modulo 2L, looked up in a table when it is small enough."""

    def __init__(self, length: int):
        self.length = length
        self.table = np.exp(1j * np.pi * np.arange(2 * length) / length) if 2 * length <= TABLE_ELEMENTS else None

    def __call__(self, k: np.ndarray) -> np.ndarray:
        k = np.asarray(k) % (2 * self.length)
        if self.table is not None:
            return self.table[k]
        return np.exp(1j * np.pi * k / self.length)


def _flush_tiny(values: np.ndarray) -> None:
    """Set parts below 1e-200 to zero before they become subnormal.

    Most of a large body's spectrum decays towards zero, and arithmetic on
    subnormal floats is tens of times slower; what is dropped is far below
    any digit the result shows.
    """
    parts = values.view(float)
    parts[np.abs(parts) < TINY] = 0.0


def _factor(t: np.ndarray, step: np.ndarray) -> np.ndarray:
    """One member's factor 1 − t + t·z^w = 1 + t·(z^w − 1), for each node (row) and frequency."""
    factor = t * step
    factor += 1.0
    return factor


def _multiply_power(product: np.ndarray, x: np.ndarray, exponent: int, work: np.ndarray) -> None:
    """product *= x ** exponent, by repeated squaring in place.

    numpy's complex power goes through exp and log, several times slower, and
    builds a new array per step.
    """
    if exponent <= 0:
        return
    if exponent == 1:
        product *= x
        return
    np.copyto(work, x)
    while True:
        if exponent & 1:
            product *= work
        exponent >>= 1
        if not exponent:
            return
        np.multiply(work, work, out=work)


# -- several rules at once: the grid engine -----------------------------------------------


def _grid_swings(
    weights: np.ndarray, counts: np.ndarray, quotas: np.ndarray, ts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """As `_fft_swings`, for games where a coalition must reach several quotas at once.

    The state is the vector of totals so far, each capped at its quota (index q
    means "q or more"), so the grid has Π(q_j + 1) cells whatever the weights.
    """
    shape = tuple(int(q) + 1 for q in quotas)
    cells = int(np.prod(shape))
    groups = len(counts)
    chunk = max(1, CHUNK_BYTES // (8 * cells * (groups + 3)))
    swings = np.zeros((groups, len(ts)))
    win = np.zeros(len(ts))
    for start in range(0, len(ts), chunk):
        t = ts[start:start + chunk]
        tt = t.reshape((-1,) + (1,) * len(shape))
        empty = np.zeros((len(t),) + shape)
        empty[(slice(None),) + (0,) * len(shape)] = 1.0
        suffixes = [empty]
        for g in range(groups - 1, -1, -1):
            suffixes.append(_add_members(suffixes[-1], weights[g], int(counts[g]), tt))
        suffixes.reverse()  # suffixes[g]: the distribution of groups g, g+1, …
        prefix = empty
        for g in range(groups):
            others = _add_members(prefix, weights[g], int(counts[g]) - 1, tt)
            survival = _survival(suffixes[g + 1])
            reach = _pair_probability(others, survival, quotas - weights[g], quotas)
            already = _pair_probability(others, survival, quotas, quotas)
            swings[g, start:start + len(t)] = reach - already
            prefix = _add_members(prefix, weights[g], int(counts[g]), tt)
        win[start:start + len(t)] = prefix[(slice(None),) + tuple(int(q) for q in quotas)]
    return swings, win


def _add_members(dist: np.ndarray, weight: np.ndarray, count: int, t: np.ndarray) -> np.ndarray:
    for _ in range(count):
        dist = (1.0 - t) * dist + t * _shift_capped(dist, weight)
    return dist


def _shift_capped(dist: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Move every total up by `weight`, piling whatever passes the cap onto the cap."""
    for axis, step in enumerate(int(w) for w in weight):
        if step == 0:
            continue
        axis += 1
        size = dist.shape[axis]
        cap = size - 1
        out = np.zeros_like(dist)
        if step < cap:
            out[_along(axis, slice(step, cap), dist.ndim)] = dist[_along(axis, slice(0, cap - step), dist.ndim)]
        out[_along(axis, cap, dist.ndim)] = dist[_along(axis, slice(max(0, cap - step), size), dist.ndim)].sum(axis=axis)
        dist = out
    return dist


def _along(axis: int, index, ndim: int) -> tuple:
    key = [slice(None)] * ndim
    key[axis] = index
    return tuple(key)


def _survival(dist: np.ndarray) -> np.ndarray:
    """P(every total ≥ y) for each grid point y."""
    out = dist
    for axis in range(1, dist.ndim):
        out = np.flip(np.cumsum(np.flip(out, axis=axis), axis=axis), axis=axis)
    return out


def _pair_probability(first: np.ndarray, survival: np.ndarray, need: np.ndarray, quotas: np.ndarray) -> np.ndarray:
    """P(A + B ≥ need in every rule), A distributed as `first`, B with survival function `survival`."""
    index = np.ix_(*[np.clip(int(n) - np.arange(int(q) + 1), 0, int(q)) for n, q in zip(need, quotas)])
    aligned = survival[(slice(None),) + index]
    return (first * aligned).reshape(len(first), -1).sum(axis=1)


# -- small games with any weights: enumeration --------------------------------------------------


def coalition_table(game: Game) -> tuple[np.ndarray, np.ndarray]:
    """Every coalition as a row of membership flags (bit i of the row number is member i), and whether it wins."""
    n = game.n
    if n > 26:
        raise ExactTooLarge(f"body {game.body!r}: {n} members are too many to list every coalition")
    rows = np.arange(2**n, dtype=np.int64)
    members = ((rows[:, None] >> np.arange(n)) & 1).astype(bool)
    weights, quotas = game.weight_matrix(), game.quotas()
    slack = RELATIVE_TOLERANCE * max(1.0, float(weights.sum(axis=0).max()))
    sums = members.astype(float) @ weights
    wins = (sums >= quotas - slack).all(axis=1)
    for v in game.vetoes:
        wins &= members[:, game.players.index(v)]
    return members, wins


def enumerate_power(game: Game) -> ExactPower:
    """Both indices by looking at every coalition: for small games whose weights are not integers."""
    n = game.n
    members, wins = coalition_table(game)
    sizes = members.sum(axis=1)
    # A coalition of s others, joined by the member, is one of s!(n−1−s)!/n! of the orders.
    order_share = np.array([math.factorial(s) * math.factorial(n - 1 - s) / math.factorial(n) for s in range(n)])
    rows = np.arange(2**n, dtype=np.int64)
    bz, ss = np.zeros(n), np.zeros(n)
    for i in range(n):
        outside = ~members[:, i]
        swing = outside & wins[rows | (1 << i)] & ~wins
        bz[i] = swing.sum() / 2 ** (n - 1)
        ss[i] = order_share[sizes[swing]].sum()
    return ExactPower(bz, ss, "enumeration")


# -- dummies -------------------------------------------------------------------------------------


def exact_dummies(game: Game, budget: float = EXACT_BUDGET) -> list[bool] | None:
    """Which members never turn a losing coalition into a winning one; None when that cannot be settled exactly.

    Decided combinatorially rather than from the computed index, which can only
    say "zero to within rounding".
    """
    red = reduce_game(game)
    dummy = [False] * game.n
    if not red.integral:
        if game.n > ENUMERATE_MAX:
            return None
        power = enumerate_power(game)
        return [bool(b == 0) for b in power.banzhaf_raw]
    if red.quotas.size == 0:
        for i in red.free:
            dummy[i] = True
        return dummy
    weights, counts, member_group = _groups(red.weights)
    if red.quotas.size == 1:
        non_dummy = _non_dummy_groups_1d(weights[:, 0], counts, int(red.quotas[0]))
    else:
        cells = float(np.prod(red.quotas.astype(float) + 1))
        if cells * len(counts) * float(counts.sum()) > budget:
            return None
        non_dummy = _non_dummy_groups_grid(weights, counts, red.quotas.astype(np.int64))
    for position, player in enumerate(red.free):
        g = member_group[position]
        dummy[player] = bool(g < 0 or not non_dummy[g])
    return dummy


def _non_dummy_groups_1d(weights: np.ndarray, counts: np.ndarray, quota: int) -> list[bool]:
    """In a weighted game a heavier member is never less pivotal, so binary-search the lightest pivotal weight."""
    order = np.argsort(weights)
    lo, hi = 0, len(order)  # groups order[hi:] are pivotal, order[:lo] are not
    while lo < hi:
        mid = (lo + hi) // 2
        if _can_swing_1d(weights, counts, quota, int(order[mid])):
            hi = mid
        else:
            lo = mid + 1
    pivotal = [False] * len(weights)
    for g in order[lo:]:
        pivotal[int(g)] = True
    return pivotal


def _can_swing_1d(weights: np.ndarray, counts: np.ndarray, quota: int, group: int) -> bool:
    """Whether the others (one member of `group` left out) can total anything in [quota − w, quota − 1]."""
    mask = (1 << quota) - 1
    reach = 1  # bit x set: some coalition of the others totals x (below the quota)
    for g, (w, c) in enumerate(zip(weights, counts)):
        for _ in range(int(c) - (1 if g == group else 0)):
            reach = (reach | (reach << int(w))) & mask
    low = max(0, quota - int(weights[group]))
    return (reach >> low) != 0


def _non_dummy_groups_grid(weights: np.ndarray, counts: np.ndarray, quotas: np.ndarray) -> list[bool]:
    shape = tuple(int(q) + 1 for q in quotas)
    result = []
    for group in range(len(counts)):
        reach = np.zeros((1,) + shape, dtype=bool)
        reach[(0,) + (0,) * len(shape)] = True
        for g in range(len(counts)):
            for _ in range(int(counts[g]) - (1 if g == group else 0)):
                reach = reach | _shift_capped(reach, weights[g])
        cap = tuple(int(q) for q in quotas)
        points = np.argwhere(reach[0])
        lifted = np.minimum(points + weights[group], cap)
        result.append(bool(np.any((lifted >= cap).all(axis=1) & ~(points >= cap).all(axis=1))))
    return result
