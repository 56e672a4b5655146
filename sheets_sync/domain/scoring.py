"""The scoring rules (DOMAIN.md, "KPIs and scoring"): pure functions on Decimals, no I/O.

Scores are exact Decimals all the way through weighting and summing; `display` rounds half-up to 4
decimals only for showing or exporting.  Binary floats never enter: 1.6 × 3 / 100 is 0.048, not
0.04800000000000001, and 2.00005 shows as 2.0001, not Python round()'s banker's 2.0000.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Iterable, Sequence

from sheets_sync.domain.words import Bilingual, Words

FIVE = Decimal(5)
FOUR_PLACES = Decimal("0.0001")


class Method(enum.Enum):
    INTERPOLATE = "interpolate"
    BANDED = "banded"
    MILESTONE = "milestone"
    MANUAL = "manual"


class Direction(enum.Enum):
    HIGHER = "higher"
    LOWER = "lower"


class ScoringError(Bilingual, ValueError):
    """A KPI whose criteria cannot be scored (missing, not monotonic, or against its direction); it says why in
    Thai and English itself, like every problem."""


def _all_levels() -> ScoringError:
    return ScoringError("เกณฑ์ต้องมีครบ 5 ระดับ", "criteria need all five levels")


def display(value: Decimal | None) -> Decimal | None:
    """4 decimals, half-up: for showing and exporting only, never before weighting."""
    if value is None:
        return None
    # enough digits for any figure a cell can hold: a 25-digit result is shown, not refused
    room = Context(prec=max(28, value.adjusted() + 6))
    return value.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP, context=room)


def check_criteria(criteria: Sequence[Decimal], direction: Direction) -> None:
    """Five levels, strictly increasing for higher-is-better and strictly decreasing for lower-is-better."""
    if len(criteria) != 5 or any(c is None for c in criteria):
        raise _all_levels()
    pairs = list(zip(criteria, criteria[1:]))
    if direction is Direction.HIGHER and not all(a < b for a, b in pairs):
        raise ScoringError("เกณฑ์ต้องเพิ่มขึ้นทุกระดับจากระดับ 1 ถึง 5 สำหรับตัวชี้วัดแบบมากดี",
                           "criteria must rise strictly from level 1 to level 5 for a higher-is-better KPI")
    if direction is Direction.LOWER and not all(a > b for a, b in pairs):
        raise ScoringError("เกณฑ์ต้องลดลงทุกระดับจากระดับ 1 ถึง 5 สำหรับตัวชี้วัดแบบน้อยดี",
                           "criteria must fall strictly from level 1 to level 5 for a lower-is-better KPI")


def interpolated(result: Decimal, criteria: Sequence[Decimal], direction: Direction, floor: Decimal) -> Decimal:
    """The rule of three between levels: for c_k ≤ x < c_(k+1), k + (x − c_k) / (c_(k+1) − c_k).

    Lower-is-better mirrors it.  At or past level 5 gives 5; short of level 1 gives `floor` (policy: 1 or 0).
    """
    check_criteria(criteria, direction)
    sign = 1 if direction is Direction.HIGHER else -1
    x = result * sign
    levels = [c * sign for c in criteria]
    if x >= levels[4]:
        return FIVE
    if x < levels[0]:
        return floor
    for k in range(4):
        low, high = levels[k], levels[k + 1]
        if low <= x < high:
            return Decimal(k + 1) + (x - low) / (high - low)
    raise AssertionError("unreachable: x lies within the criteria")  # pragma: no cover


def banded(result: Decimal, bounds: Sequence[Decimal], direction: Direction, floor: Decimal) -> Decimal:
    """A whole score by ranges: level k when the result reaches c_k (its band's lower bound, or upper bound
    for lower-is-better), e.g. < 75 → 1, 75–79 → 2, 80–84 → 3, 85–89 → 4, ≥ 90 → 5 with c = (0, 75, 80, 85, 90)."""
    check_criteria(bounds, direction)
    reached = [k for k, c in enumerate(bounds, start=1)
               if (result >= c if direction is Direction.HIGHER else result <= c)]
    return Decimal(max(reached)) if reached else floor


def milestone(level: int, floor: Decimal) -> Decimal:
    """The level of success reached; level 0 (not even level 1) gives the floor."""
    if not 0 <= level <= 5:
        raise ScoringError(f"ระดับความสำเร็จต้องเป็น 0–5 ไม่ใช่ {level}", f"a milestone level is 0–5, not {level}")
    return Decimal(level) if level >= 1 else floor


def score(method: Method, result: Decimal | int | None, criteria: Sequence[Decimal] | None,
          direction: Direction = Direction.HIGHER, floor: Decimal = Decimal(1)) -> Decimal | None:
    """The computed score for one KPI and round; None for a committee-scored (manual) KPI."""
    if method is Method.MANUAL:
        return None
    if result is None:
        raise ScoringError("ไม่มีผลให้คำนวณคะแนน", "no result to score")
    if method is Method.MILESTONE:
        return milestone(int(result), floor)
    assert criteria is not None
    if method is Method.BANDED:
        return banded(Decimal(result), criteria, direction, floor)
    return interpolated(Decimal(result), criteria, direction, floor)


PASSED = Words("ผ่านเกณฑ์", "pass")
BELOW_PASS = Words("ไม่ผ่านเกณฑ์", "below the pass score")


def verdict(passed: bool) -> Words:
    """(Thai, English): the one wording of passing or not, for every output."""
    return PASSED if passed else BELOW_PASS


def weighted(score_used: Decimal, weight: Decimal, scale: Decimal = Decimal(100)) -> Decimal:
    """score × weight / 100 for percentage weights (scale 100), score × weight for fractions (scale 1)."""
    return score_used * weight / scale


def weight_scale(leaf_weights: Iterable[Decimal]) -> Decimal:
    """Weights are percentages summing to 100, or fractions summing to 1; anything else is read as percent."""
    total = sum(leaf_weights, Decimal(0))
    return Decimal(1) if total and abs(total - 1) < Decimal("0.01") else Decimal(100)


def weighted_mean(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Σ(w·s) / Σw over (weight, score) pairs; None when no weight counts."""
    pairs = list(pairs)
    total_weight = sum((w for w, _ in pairs), Decimal(0))
    if not total_weight:
        return None
    return sum((w * s for w, s in pairs), Decimal(0)) / total_weight


@dataclass(frozen=True)
class Band:
    threshold: Decimal
    name: str


def parse_bands(text: str) -> list[Band]:
    """`1:ต้องปรับปรุง;3:ผ่าน;4:ดี;4.5:ดีมาก` → bands sorted by threshold."""
    bands = []
    for part in str(text).replace("\n", ";").split(";"):
        if not part.strip():
            continue
        threshold, sep, name = part.partition(":")
        if not sep or not name.strip():
            raise ValueError(f"a band is `lowest score:name`, not {part.strip()!r}")
        bands.append(Band(Decimal(threshold.strip()), name.strip()))
    if not bands:
        raise ValueError("no bands given")
    return sorted(bands, key=lambda b: b.threshold)


def band_for(value: Decimal, bands: Sequence[Band]) -> Band | None:
    """The band whose threshold is the highest one at or below `value` (compared at display precision)."""
    shown = display(value)
    assert shown is not None
    reached = [b for b in bands if shown >= b.threshold]
    return reached[-1] if reached else None
