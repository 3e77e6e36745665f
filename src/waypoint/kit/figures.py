"""A quantity in the interface's language: "12 345,5" in Russian (a non-breaking space between
thousands, a decimal comma), "12,345.5" in English.

For figures only: Django groups no thousands by default (USE_THOUSAND_SEPARATOR stays off, or
years, codes and ids in links would be grouped too), so a figure asks for it here. Anything
that is not a number ("<5", "—") passes unchanged.
"""

from decimal import Decimal

from django.utils import formats


def figure(value):
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    return formats.number_format(value, use_l10n=True, force_grouping=True)
