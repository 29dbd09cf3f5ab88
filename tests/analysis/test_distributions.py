"""Chi-square survival and the regularised incomplete beta against scipy.special, closed forms
and exact (decimal) sums, plus their errors."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import betainc, chdtrc

from accord.analysis.distributions import chi_square_survival, regularized_incomplete_beta

# df 1..60 one by one (both parities, the small-df branches), then spread up to 2000.
GRID_DF = sorted({*range(1, 61), *np.geomspace(61, 2000, 45).astype(int).tolist()})


def _x_grid(df: int) -> list[float]:
    """x from 0 to 1e5: an even grid, a log grid, and a fine grid around the mean df."""
    spread = math.sqrt(2.0 * df)
    xs = np.concatenate(
        [
            np.linspace(0.0, 1e5, 101),
            np.geomspace(1e-8, 1e5, 60),
            df + spread * np.linspace(-6.0, 40.0, 140),
        ]
    )
    return [float(x) for x in np.unique(xs[xs >= 0.0])]


def _assert_close_to_chdtrc(df: int, xs: list[float]) -> None:
    got = np.array([chi_square_survival(x, df) for x in xs])
    want = chdtrc(df, np.array(xs))
    np.testing.assert_allclose(got, want, rtol=0.0, atol=1e-12)
    shown = want > 1e-300
    np.testing.assert_allclose(got[shown], want[shown], rtol=1e-9, atol=0.0)


@pytest.mark.parametrize("df", GRID_DF)
def test_chi_square_survival_matches_scipy_on_a_dense_grid(df: int) -> None:
    _assert_close_to_chdtrc(df, _x_grid(df))


@settings(max_examples=300, deadline=None)
@given(
    df=st.integers(min_value=1, max_value=2000),
    z=st.floats(min_value=-8.0, max_value=60.0),
)
def test_chi_square_survival_matches_scipy_anywhere_near_the_mass(df: int, z: float) -> None:
    _assert_close_to_chdtrc(df, [max(0.0, df + z * math.sqrt(2.0 * df))])


def _exact_even_survival(x: float, df: int) -> float:
    """e^-h Σ_{j<df/2} h^j / j! in 60-digit decimal arithmetic (A&S 26.4.5)."""
    with localcontext() as context:
        context.prec = 60
        h = Decimal(x) / 2
        term, total = Decimal(1), Decimal(0)
        for j in range(df // 2):
            if j:
                term = term * h / j
            total += term
        return float(total * (-h).exp())


@pytest.mark.parametrize("df", [2, 10, 200, 1000, 2000, 4000])
def test_chi_square_survival_matches_exact_decimal_sum_for_even_df(df: int) -> None:
    for x in np.maximum(df + math.sqrt(2.0 * df) * np.linspace(-3.0, 3.0, 13), 0.0):
        assert chi_square_survival(float(x), df) == pytest.approx(
            _exact_even_survival(float(x), df), rel=1e-13, abs=1e-15
        )


def test_chi_square_survival_closed_forms_for_one_and_two_degrees() -> None:
    for x in (1e-6, 0.5, 3.841458820694124, 10.0, 700.0):
        assert chi_square_survival(x, 2) == pytest.approx(math.exp(-x / 2), rel=1e-15)
        assert chi_square_survival(x, 1) == pytest.approx(math.erfc(math.sqrt(x / 2)), rel=1e-15)


@pytest.mark.parametrize("df", [9_999, 10_000])
def test_chi_square_survival_large_df_and_x_neither_overflows_nor_underflows(df: int) -> None:
    xs = [1.0, 5_000.0, 9_000.0, 10_000.0, 10_500.0, 12_000.0, 13_000.0, 1e5, 1e6, 1e7]
    got = np.array([chi_square_survival(x, df) for x in xs])
    assert np.isfinite(got).all() and (got >= 0.0).all() and (got <= 1.0).all()
    np.testing.assert_allclose(got, chdtrc(df, np.array(xs)), rtol=1e-12, atol=1e-14)
    assert got[-1] == 0.0 and got[0] == pytest.approx(1.0, abs=1e-15)


def test_chi_square_survival_edges() -> None:
    assert chi_square_survival(0.0, 1) == 1.0
    assert chi_square_survival(5e-324, 3) == 1.0
    assert chi_square_survival(math.inf, 4) == 0.0
    assert chi_square_survival(1.7e308, 5) == 0.0
    numpy_df: int = np.int64(3)  # type: ignore[assignment]  # numpy integers are accepted too
    assert chi_square_survival(2.0, numpy_df) == pytest.approx(float(chdtrc(3, 2.0)), abs=1e-15)


@settings(max_examples=200, deadline=None)
@given(
    df=st.integers(min_value=1, max_value=300),
    x=st.floats(min_value=0.0, max_value=1000.0),
    dx=st.floats(min_value=0.0, max_value=50.0),
)
def test_chi_square_survival_falls_with_x_and_rises_with_df(df: int, x: float, dx: float) -> None:
    q = chi_square_survival(x, df)
    slack = 1e-14  # the absolute accuracy: near 1.0 two close values may round either way
    assert chi_square_survival(x + dx, df) <= q + slack
    assert q <= chi_square_survival(x, df + 1) + slack


@pytest.mark.parametrize(
    ("x", "df", "message"),
    [
        (1.0, 0, "degrees of freedom df is 0 (expected an integer >= 1)"),
        (1.0, -3, "degrees of freedom df is -3 (expected an integer >= 1)"),
        (1.0, 2.5, "degrees of freedom df is 2.5 (expected an integer >= 1)"),
        (1.0, True, "degrees of freedom df is True (expected an integer >= 1)"),
        (-0.5, 2, "chi-square value x is -0.5 (expected a number >= 0)"),
        (math.nan, 2, "chi-square value x is NaN (expected a number >= 0)"),
    ],
)
def test_chi_square_survival_rejects_bad_input(x: float, df: int, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        chi_square_survival(x, df)
    assert str(caught.value) == message


# --------------------------------------------------------------------------- incomplete beta


def _max_betainc_error(shapes: np.ndarray, xs: np.ndarray) -> float:
    worst = 0.0
    for a in shapes:
        for b in shapes:
            got = np.array([regularized_incomplete_beta(float(a), float(b), float(x)) for x in xs])
            worst = max(worst, float(np.max(np.abs(got - betainc(a, b, xs)))))
    return worst


def test_incomplete_beta_matches_scipy_on_the_beta_pert_range() -> None:
    # Beta-PERT shapes are 1 + 4 (likely - low) / (high - low), so a, b lie in [1, 5].
    xs = np.unique(np.concatenate([np.linspace(0.0, 1.0, 201), np.geomspace(1e-12, 1.0, 40)]))
    assert _max_betainc_error(np.linspace(1.0, 5.0, 17), xs) <= 1e-12


def test_incomplete_beta_matches_scipy_on_wide_shapes() -> None:
    xs = np.unique(np.concatenate([np.linspace(0.0, 1.0, 81), 1.0 - np.geomspace(1e-9, 0.5, 15)]))
    assert _max_betainc_error(np.geomspace(0.1, 50.0, 23), xs) <= 1e-10


@settings(max_examples=300, deadline=None)
@given(
    a=st.floats(min_value=0.1, max_value=50.0),
    b=st.floats(min_value=0.1, max_value=50.0),
    x=st.floats(min_value=0.0, max_value=1.0),
)
def test_incomplete_beta_matches_scipy_and_its_reflection(a: float, b: float, x: float) -> None:
    value = regularized_incomplete_beta(a, b, x)
    assert value == pytest.approx(float(betainc(a, b, x)), abs=1e-10)
    # I_x(a, b) = 1 - I_{1-x}(b, a) exactly (A&S 26.5.2); tested where 1 - x is exact.
    if x >= 0.5:
        assert value + regularized_incomplete_beta(b, a, 1.0 - x) == pytest.approx(1.0, abs=1e-13)


def test_incomplete_beta_closed_forms() -> None:
    # I_x(a, 1) = x^a and I_x(1, b) = 1 - (1 - x)^b (A&S 26.5.3 with n = 1).
    for x in (1e-9, 0.1, 0.37, 0.5, 0.9, 0.999):
        assert regularized_incomplete_beta(1.0, 1.0, x) == pytest.approx(x, rel=1e-14)
        assert regularized_incomplete_beta(3.5, 1.0, x) == pytest.approx(x**3.5, rel=1e-13)
        assert regularized_incomplete_beta(1.0, 2.5, x) == pytest.approx(
            -math.expm1(2.5 * math.log1p(-x)), rel=1e-13
        )


def test_incomplete_beta_large_shapes_stay_accurate() -> None:
    for a, b in ((300.0, 700.0), (4000.0, 4000.0), (2.0e4, 5.0e3)):
        mean = a / (a + b)
        sd = math.sqrt(mean * (1.0 - mean) / (a + b))
        for z in (-4.0, -1.0, 0.0, 0.5, 2.0):
            x = mean + z * sd
            assert regularized_incomplete_beta(a, b, x) == pytest.approx(
                float(betainc(a, b, x)), abs=1e-12
            )


def test_incomplete_beta_edges() -> None:
    assert regularized_incomplete_beta(2.0, 3.0, 0.0) == 0.0
    assert regularized_incomplete_beta(2.0, 3.0, 1.0) == 1.0
    assert regularized_incomplete_beta(1e-300, 2.0, 0.3) == pytest.approx(1.0, abs=1e-15)
    assert regularized_incomplete_beta(1e-20, 1e-20, 0.5) == pytest.approx(0.5, abs=1e-14)


def test_incomplete_beta_reports_non_convergence_for_astronomic_shapes() -> None:
    with pytest.raises(ArithmeticError, match="did not converge in 100000 steps"):
        regularized_incomplete_beta(1e14, 1e14, 0.5)


@pytest.mark.parametrize(
    ("a", "b", "x", "message"),
    [
        (0.0, 1.0, 0.5, "Beta shape a is 0.0 (expected a finite number > 0)"),
        (1.0, -2.0, 0.5, "Beta shape b is -2.0 (expected a finite number > 0)"),
        (math.nan, 1.0, 0.5, "Beta shape a is nan (expected a finite number > 0)"),
        (1.0, math.inf, 0.5, "Beta shape b is inf (expected a finite number > 0)"),
        (1.0, 1.0, -0.1, "Beta argument x is -0.1 (expected a number from 0 to 1)"),
        (1.0, 1.0, 1.5, "Beta argument x is 1.5 (expected a number from 0 to 1)"),
        (1.0, 1.0, math.nan, "Beta argument x is nan (expected a number from 0 to 1)"),
    ],
)
def test_incomplete_beta_rejects_bad_input(a: float, b: float, x: float, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        regularized_incomplete_beta(a, b, x)
    assert str(caught.value) == message
