"""The scoring rules, pinned to the published figures and every boundary."""

from decimal import Decimal as D

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sheets_sync.domain.scoring import (
    Direction,
    Method,
    ScoringError,
    band_for,
    banded,
    display,
    interpolated,
    milestone,
    parse_bands,
    score,
    weight_scale,
    weighted,
    weighted_mean,
)

UP = (D(60), D(70), D(80), D(90), D(100))
DOWN = (D(15), D(12), D(9), D(6), D(3))
ONE, ZERO = D(1), D(0)


@pytest.mark.parametrize("score_used, weight, published", [
    (D("5.0000"), D(4), "0.2000"), (D("4.8000"), D(4), "0.1920"),
    (D("2.0000"), D(3), "0.0600"), (D("1.6000"), D(3), "0.0480"),
])
def test_published_weighted_scores_are_reproduced_exactly(score_used, weight, published):
    # OPEC annual report 2018, performance agreement FY 2561
    assert str(display(weighted(score_used, weight))) == published


def test_float_would_have_got_it_wrong():
    assert 1.6 * 3 / 100 != 0.048
    assert weighted(D("1.6"), D(3)) == D("0.048")


def test_the_domain_example_result_85_on_60_to_100_scores_3_5():
    assert display(interpolated(D(85), UP, Direction.HIGHER, ONE)) == D("3.5000")


@pytest.mark.parametrize("result, expected", [
    (60, "1"), (70, "2"), (80, "3"), (90, "4"), (100, "5"),  # exactly on each level
    (59.99, "1"), (0, "1"), (150, "5"), (65, "1.5"), (99.99, "4.999"),
])
def test_interpolated_higher_is_better_on_every_boundary(result, expected):
    assert interpolated(D(str(result)), UP, Direction.HIGHER, ONE) == D(expected)


def test_below_level_1_gives_the_policy_floor():
    assert interpolated(D(50), UP, Direction.HIGHER, ZERO) == 0
    assert banded(D(50), (D(60), D(75), D(80), D(85), D(90)), Direction.HIGHER, ZERO) == 0
    assert milestone(0, ZERO) == 0 and milestone(0, ONE) == 1


@pytest.mark.parametrize("result, expected", [
    (15, "1"), (12, "2"), (9, "3"), (6, "4"), (3, "5"), (2, "5"), (16, "1"), (7.5, "3.5"), (13.5, "1.5"),
])
def test_lower_is_better_mirrors_the_rule(result, expected):
    assert interpolated(D(str(result)), DOWN, Direction.LOWER, ONE) == D(expected)


@pytest.mark.parametrize("result, expected", [(74.99, 1), (75, 2), (79, 2), (80, 3), (84.9, 3), (85, 4), (89, 4), (90, 5), (120, 5)])
def test_banded_gives_whole_scores_by_range(result, expected):
    bounds = (D(0), D(75), D(80), D(85), D(90))
    assert banded(D(str(result)), bounds, Direction.HIGHER, ONE) == expected


def test_banded_lower_is_better_uses_upper_bounds():
    bounds = (D(10), D(8), D(6), D(4), D(2))
    assert banded(D(7), bounds, Direction.LOWER, ONE) == 2
    assert banded(D(2), bounds, Direction.LOWER, ONE) == 5
    assert banded(D(11), bounds, Direction.LOWER, ONE) == 1


def test_milestone_is_the_level_reached():
    assert display(score(Method.MILESTONE, 5, None)) == D("5.0000")
    with pytest.raises(ScoringError):
        milestone(6, ONE)


def test_manual_kpis_have_no_computed_score():
    assert score(Method.MANUAL, None, None) is None


@pytest.mark.parametrize("criteria, direction", [
    ((D(40), D(50), D(60), D(60), D(70)), Direction.HIGHER),  # a real published defect: not strictly rising
    (UP, Direction.LOWER),  # criteria disagree with the direction
    (DOWN, Direction.HIGHER),
    ((D(1), D(2), D(3), D(4)), Direction.HIGHER),
])
def test_criteria_that_are_not_strictly_monotonic_in_their_direction_are_refused(criteria, direction):
    with pytest.raises(ScoringError):
        interpolated(D(50), criteria, direction, ONE)


@pytest.mark.parametrize("raw, shown", [
    ("2.00005", "2.0001"), ("2.00004999", "2.0000"), ("0.04805", "0.0481"), ("4.99995", "5.0000"), ("2.5", "2.5000"),
])
def test_display_rounds_half_up_at_four_decimals(raw, shown):
    assert str(display(D(raw))) == shown


def test_no_rounding_before_weighting():
    # 3 KPIs of weight 1 scoring 1.00004 each: rounding first would give 1.0000, the exact mean is 1.00004
    exact = weighted_mean([(D(1), D("1.00004"))] * 3)
    assert exact == D("1.00004") and display(exact) == D("1.0000")
    s = D(65) / D(3) / 10  # 2.1666…: weighted exactly, then shown
    assert display(weighted(s, D(3))) == D("0.0650")


def test_office_result_is_the_weighted_mean():
    assert weighted_mean([(D(4), D(5)), (D(4), D("4.8")), (D(3), D(2)), (D(3), D("1.6"))]) == D(50) / D(14)
    assert display(D(50) / D(14)) == D("3.5714")
    assert weighted_mean([]) is None


def test_weights_may_be_percentages_or_fractions():
    assert weight_scale([D(60), D(40)]) == 100
    assert weight_scale([D("0.6"), D("0.4")]) == 1
    assert weighted(D(4), D("0.25"), D(1)) == D(1)


def test_bands_from_the_setting():
    bands = parse_bands("1:ต้องปรับปรุง;3:ผ่าน;4:ดี;4.5:ดีมาก")
    assert band_for(D("2.9999"), bands).name == "ต้องปรับปรุง"
    assert band_for(D("2.99996"), bands).name == "ผ่าน"  # judged on the published 4-decimal figure 3.0000
    assert band_for(D(3), bands).name == "ผ่าน"
    assert band_for(D("4.5"), bands).name == "ดีมาก"
    assert band_for(D("0.5"), bands) is None
    with pytest.raises(ValueError):
        parse_bands("3 ผ่าน")


# --- properties ---------------------------------------------------------------------------------

levels = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
results = st.decimals(min_value=-5000, max_value=5000, places=3, allow_nan=False, allow_infinity=False)


@st.composite
def rising_criteria(draw):
    values = sorted(set(draw(st.lists(levels, min_size=5, max_size=12))))
    assume(len(values) >= 5)
    return tuple(values[:5])


@given(rising_criteria(), results, st.sampled_from([ZERO, ONE]), st.sampled_from(list(Direction)),
       st.sampled_from([Method.INTERPOLATE, Method.BANDED]))
def test_a_score_is_between_the_floor_and_5(criteria, result, floor, direction, method):
    if direction is Direction.LOWER:
        criteria = tuple(reversed(criteria))
    s = score(method, result, criteria, direction, floor)
    assert floor <= s <= 5


@given(rising_criteria(), results, results, st.sampled_from([Method.INTERPOLATE, Method.BANDED]))
def test_raising_a_higher_is_better_result_never_lowers_its_score(criteria, a, b, method):
    low, high = sorted((a, b))
    assert score(method, low, criteria) <= score(method, high, criteria)


@given(st.lists(st.tuples(st.decimals(min_value=D("0.01"), max_value=100, places=2),
                          st.decimals(min_value=0, max_value=5, places=4)), min_size=1, max_size=30))
def test_the_office_result_lies_between_the_lowest_and_highest_kpi_score(pairs):
    mean = weighted_mean(pairs)
    assert min(s for _, s in pairs) <= mean <= max(s for _, s in pairs)


def test_kpi_ids_sort_part_by_part_and_an_odd_digit_does_not_break_the_order():
    from sheets_sync.domain.round_scores import kpi_sort_key

    assert sorted(["10", "2.10", "2", "2.1", "²", "ก"], key=kpi_sort_key) == ["2", "2.1", "2.10", "10", "²", "ก"]
