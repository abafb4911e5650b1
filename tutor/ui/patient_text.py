"""How the interface writes a patient's age: a number with the right plural of its unit in the
interface language ("1 year", "3 years", "miaka 3"), shared by the Cases and Practice screens."""

from __future__ import annotations

from tutor.core.content.schema import Case
from tutor.core.i18n import ngettext


def age_text(case: Case) -> str:
    value, unit = case.patient.age.value, case.patient.age.unit
    if unit == "years":
        return ngettext("{n} year", "{n} years", value).format(n=value)
    if unit == "months":
        return ngettext("{n} month", "{n} months", value).format(n=value)
    return ngettext("{n} day", "{n} days", value).format(n=value)
