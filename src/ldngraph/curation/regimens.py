"""What counts as LDN: the regimen category of a dose regimen and of a study.

By default every count and verdict is about LDN: naltrexone in the low band (about 1-6 mg a day,
4.5 mg typical) given alone or added to background therapy. Very-low, ultra-low and standard doses
and combination protocols (IV alpha-lipoic acid with LDN, ...) are shown apart, never merged.
"""

from __future__ import annotations

from ldngraph.core.schema import DoseRegimen

LDN = "ldn"
COMBINATION = "combination"

CATEGORY_LABELS: dict[str, str] = {
    LDN: "LDN (low band, about 1-6 mg/day) alone or as add-on",
    COMBINATION: "combination protocol (naltrexone with other drugs as one regimen)",
    "very_low": "very-low-dose naltrexone (below 1 mg/day)",
    "ultra_low": "ultra-low-dose naltrexone (micrograms)",
    "standard": "standard-dose naltrexone (50-100 mg)",
    "not_applicable": "no naltrexone dose",
}

#: The order categories are shown in: LDN first, then the others apart.
CATEGORY_ORDER: tuple[str, ...] = tuple(CATEGORY_LABELS)


def regimen_category(regimen: DoseRegimen) -> str:
    """The category of a regimen: 'ldn', 'combination', or the band of a non-LDN dose."""
    if regimen.combination:
        return COMBINATION
    if regimen.band.value == "low":
        return LDN
    return regimen.band.value


def study_category(categories: list[str], therapies: list[str]) -> str:
    """The category of a study from its naltrexone arms' regimen categories and therapies.

    A study counts as LDN evidence only if every naltrexone arm is LDN and none is a combination
    protocol; otherwise it takes the first non-LDN category it has (shown apart).
    """
    if "combination" in therapies:
        return COMBINATION
    for category in categories:
        if category != LDN:
            return category
    return LDN if categories else "not_applicable"
