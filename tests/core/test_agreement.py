"""Inter-coder agreement: each statistic against a published worked example or a fixture whose
figures were computed by hand (the arithmetic is written out beside each)."""

from __future__ import annotations

from datetime import datetime

import pytest

from annotator.core.agreement import (
    PairCounts,
    cohen_kappa,
    merge_intervals,
    nominal_alpha,
    tag_agreements,
)
from annotator.core.models import Highlight, TagRef
from annotator.core.unitizing_alpha import unitizing_alpha

T = TagRef(1, "tariffs", "topic", "#ff0000")
U = TagRef(2, "Mark Carney", "actor", "#00ff00")
_WHEN = datetime(2026, 1, 1)


def hl(hid: int, author: str, doc: int, start: int, end: int, *tags: TagRef) -> Highlight:
    return Highlight(id=hid, document_id=doc, start=start, end=end, text="", tags=tags,
                     note=None, created=_WHEN, modified=_WHEN, author=author)


def test_nominal_alpha_matches_krippendorffs_published_example_with_missing_values() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C: four
    # observers, twelve units, nominal values, missing data. Published result: 0.743.
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
    c = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
    alpha = nominal_alpha(((a[i], b[i], c[i], d[i]), 1.0) for i in range(12))
    assert alpha == pytest.approx(0.743, abs=0.0005)


def test_binary_two_coders_published_alpha_and_hand_computed_kappa() -> None:
    # Krippendorff (2011), example A: binary data, two observers, ten units; alpha = 0.095.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert nominal_alpha(((x, y), 1.0) for x, y in zip(a, b, strict=True)) == pytest.approx(0.095, abs=0.0005)
    # Kappa by hand: p_o = 6/10; p_e = .2*.4 + .8*.6 = .56; (0.6 - 0.56) / 0.44 = 0.0909
    table = PairCounts(both=1, first_only=1, second_only=3, neither=5)
    assert cohen_kappa(table) == pytest.approx(0.04 / 0.44)


def test_cohen_kappa_textbook_example() -> None:
    # The classic 50-proposal example: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> p_o = 0.7,
    # p_e = 0.5*0.6 + 0.5*0.4 = 0.5, kappa = 0.4.
    assert cohen_kappa(PairCounts(20, 5, 10, 15)) == pytest.approx(0.4)


def test_undefined_statistics_are_none() -> None:
    assert cohen_kappa(PairCounts()) is None
    assert cohen_kappa(PairCounts(both=10)) is None  # both always yes: chance agreement total
    assert nominal_alpha([(("x", "x"), 1.0), (("x", "x"), 3.0)]) is None  # no variation
    assert nominal_alpha([(("x", None), 1.0)]) is None  # nothing pairable


def test_merge_intervals() -> None:
    assert merge_intervals([(5, 9), (0, 2), (1, 4), (9, 10), (3, 3)]) == [(0, 4), (5, 10)]


def _shifted_boundaries() -> list[Highlight]:
    # Document 1 (40 characters). A tags tariffs on [0,4), B on [2,6); both tag Carney on
    # [6,10). Characters 10-40 nobody coded.
    return [
        hl(1, "ann", 1, 0, 4, T), hl(2, "ann", 1, 6, 10, U),
        hl(3, "bob", 1, 2, 6, T), hl(4, "bob", 1, 6, 10, U),
    ]


def test_shifted_boundaries_hand_computed() -> None:
    [tariffs] = tag_agreements(_shifted_boundaries(), ["ann", "bob"], {1: 40},
                               tags=["topic:tariffs"])
    # Coded text: [0,10) = 10 characters; 30 left out. Runs for tariffs: [0,2) ann only,
    # [2,4) both, [4,6) bob only, [6,10) neither.
    assert (tariffs.units, tariffs.left_out, tariffs.documents) == (10, 30, 1)
    assert tariffs.tagged == {"ann": 4, "bob": 4}
    assert tariffs.percent_agreement == pytest.approx(0.6)  # (2 + 4) / 10
    # p_o = 0.6, p_e = .4*.4 + .6*.6 = 0.52 -> kappa = 0.08 / 0.48
    assert tariffs.cohen_kappa == pytest.approx(0.08 / 0.48)
    # Coincidences (n = 20): o11 = 4, o00 = 8, o10 = o01 = 4; n1 = 8, n0 = 12.
    # alpha = 1 - (n-1) o01 / (n0 n1) = 1 - 19*4/96
    assert tariffs.krippendorff_alpha == pytest.approx(1 - 76 / 96)
    # alpha-u (Krippendorff 2004): m = 2, L = 10. Sections: ann unit [0,4), gap [4,10);
    # bob gap [0,2), unit [2,6), gap [6,10). Only the two overlapping units disagree:
    # (0-2)^2 + (4-6)^2 = 8 -> D_o = 2 * 8 / (2 * 1 * 100) = 0.08.
    # Units l = 4, 4 (N = 2); gaps 6, 2, 4. Per unit: (N-1)(2*64 - 3*16 + 4)/3 = 28, and
    # 16 * ((6-4+1) + (4-4+1)) = 64 -> 92; both: 184. D_e = 2/10 * 184 / (20*19 - 2*12)
    # = 36.8 / 356 -> alpha-u = 1 - 0.08 * 356 / 36.8
    assert tariffs.krippendorff_alpha_u == pytest.approx(1 - 0.08 * 356 / 36.8)


def test_text_nobody_coded_changes_no_figure() -> None:
    short = tag_agreements(_shifted_boundaries(), ["ann", "bob"], {1: 10}, tags=["topic:tariffs"])
    long = tag_agreements(_shifted_boundaries(), ["ann", "bob"], {1: 100_000},
                          tags=["topic:tariffs"])
    for field in ("percent_agreement", "cohen_kappa", "krippendorff_alpha",
                  "krippendorff_alpha_u"):
        assert getattr(short[0], field) == pytest.approx(getattr(long[0], field))
    assert (short[0].left_out, long[0].left_out) == (0, 99_990)


def test_perfect_agreement_is_one_and_only_common_documents_count() -> None:
    rows = [
        hl(1, "ann", 1, 0, 5, T), hl(2, "bob", 1, 0, 5, T),
        hl(3, "ann", 1, 10, 20, U), hl(4, "bob", 1, 10, 20, U),
        # document 2 only ann coded: left out of the comparison entirely
        hl(5, "ann", 2, 0, 50, T),
    ]
    result = {r.tag: r for r in tag_agreements(rows, ["ann", "bob"], {1: 30, 2: 50})}
    assert set(result) == {"topic:tariffs", "actor:Mark Carney"}
    for r in result.values():
        assert r.documents == 1 and r.units == 15 and r.left_out == 15
        assert r.percent_agreement == 1.0
        assert r.cohen_kappa == pytest.approx(1.0)
        assert r.krippendorff_alpha == pytest.approx(1.0)
        assert r.krippendorff_alpha_u == pytest.approx(1.0)


def test_alpha_u_equals_character_alpha_when_every_passage_is_one_character() -> None:
    rows = [hl(i, "ann", 1, i, i + 1, T) for i in range(0, 20, 2)]
    rows += [hl(100 + i, "bob", 1, i, i + 1, T) for i in range(0, 20, 3)]
    rows += [hl(200, "ann", 1, 0, 20, U), hl(201, "bob", 1, 0, 20, U)]
    [r] = tag_agreements(rows, ["ann", "bob"], {1: 20}, tags=["topic:tariffs"])
    assert r.krippendorff_alpha is not None
    assert r.krippendorff_alpha_u == pytest.approx(r.krippendorff_alpha)


def test_three_coders_light_kappa_is_the_mean_of_pairwise_kappas() -> None:
    rows = _shifted_boundaries() + [hl(5, "cat", 1, 0, 6, T), hl(6, "cat", 1, 6, 10, U)]
    [three] = tag_agreements(rows, ["ann", "bob", "cat"], {1: 10}, tags=["topic:tariffs"])
    pairwise = [
        tag_agreements(rows, list(pair), {1: 10}, tags=["topic:tariffs"])[0]
        for pair in (("ann", "bob"), ("ann", "cat"), ("bob", "cat"))
    ]
    assert three.cohen_kappa == pytest.approx(sum(p.cohen_kappa or 0 for p in pairwise) / 3)
    assert three.percent_agreement == pytest.approx(
        sum(p.percent_agreement or 0 for p in pairwise) / 3)
    # Character alpha over three coders from the runs by hand: [0,2) 2 of 3 say yes,
    # [2,4) 3 of 3, [4,6) 2 of 3, [6,10) 0 of 3. m-1 = 2.
    # o11 = (2*2*1 + 2*3*2 + 2*2*1)/2 = 10; o00 = (2*1*0 + 0 + 2*1*0 + 4*3*2)/2 = 12;
    # o10 = o01 = (2*2*1 + 2*2*1)/2 = 4. n = 30, n1 = 14, n0 = 16.
    assert three.krippendorff_alpha == pytest.approx(1 - 29 * 4 / (16 * 14))


def test_a_tag_no_compared_coder_used_is_undefined_not_an_error() -> None:
    [r] = tag_agreements(_shifted_boundaries(), ["ann", "bob"], {1: 40}, tags=["topic:energy"])
    assert r.tagged == {"ann": 0, "bob": 0}
    assert r.percent_agreement == 1.0
    assert r.cohen_kappa is None and r.krippendorff_alpha is None


def test_coders_named_twice_are_refused() -> None:
    with pytest.raises(ValueError):
        tag_agreements([], ["ann", "ann"], {})


def test_alpha_u_matches_krippendorffs_published_example() -> None:
    # Krippendorff (2004), Content Analysis, 2nd ed., pp. 254-256: a continuum [150, 450), two
    # observers. Category c: observer i [225,295) [370,400), observer j [220,300) [355,375)
    # [400,420); published uα_c = 0.7286 (D_o = 0.0144, D_e = 0.0532). Category k, both
    # [180,240) [300,350): uα_k = 1. The same figures are reproduced by DKPro Statistics'
    # Krippendorff2004Test.
    c = [[(225, 295), (370, 400)], [(220, 300), (355, 375), (400, 420)]]
    assert unitizing_alpha([((150, 450), c)]) == pytest.approx(0.7286, abs=0.00005)
    k = [(180, 240), (300, 350)]
    assert unitizing_alpha([((150, 450), [k, k])]) == pytest.approx(1.0)


def test_alpha_u_matches_krippendorffs_1995_example_a() -> None:
    # Krippendorff (1995), "On the reliability of unitizing continuous data", p. 57, example A
    # (Bertha and Bill on 24 positions), at the fine resolution the paper's figure assumes:
    # uα = 0.553. Each position is stretched to 50,000 characters.
    s = 50_000
    bertha = [(2 * s, 10 * s), (14 * s, 20 * s)]
    bill = [(4 * s, 8 * s), (15 * s, 17 * s)]
    assert unitizing_alpha([((0, 24 * s), [bertha, bill])]) == pytest.approx(0.553, abs=0.0005)


def test_alpha_u_over_several_continua_is_one_figure() -> None:
    # The coded stretches of two documents are continua of their own: a passage in one never
    # pairs with a section of the other in D_o, and the sums run over both.
    first = [[(0, 4)], [(2, 6)]]
    same_again = unitizing_alpha([((0, 10), first), ((0, 10), first)])
    # by hand: D_o = 2 * 16 / (2 * 400) = 0.04; D_e = 2/20 * 4 * 92 ... with N = 4 each unit
    # gives 3 * 84 / 3 + 16 * 8 = 212 -> 848; 2/20 * 848 / (40*39 - 4*12) = 84.8 / 1512
    assert same_again == pytest.approx(1 - 0.04 * 1512 / 84.8)
    rows = _shifted_boundaries() + [hl(10 + h.id, h.author, 2, h.start, h.end, *h.tags)
                                    for h in _shifted_boundaries()]
    [two_docs] = tag_agreements(rows, ["ann", "bob"], {1: 40, 2: 40}, tags=["topic:tariffs"])
    assert two_docs.krippendorff_alpha_u == pytest.approx(same_again)
    assert unitizing_alpha([((0, 10), [[], []])]) is None  # nobody tagged: undefined
    assert unitizing_alpha([((0, 10), [[(0, 4)]])]) is None  # one coder
