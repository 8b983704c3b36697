"""The numbers people type in a form or send to the API: prices, quantities,
amounts at stake, ids and page offsets. Each kind of number has one rule
(its type, bounds and decimals) and one check, used by the portal forms and
the API alike, so that the same value gets the same answer everywhere.

A form sends text: plain decimal digits with one decimal separator ("12",
"12.50", "12,50"); a sign, an exponent, an underscore, ``inf``, ``nan`` or
digits of another script are refused. The API sends JSON numbers: a number,
never a boolean nor a string, and never ``NaN`` or ``Infinity``. Either way
the value is then read as an exact decimal and held to the rule's maximum
and number of decimals (a float is read as the shortest decimal that
denotes it: ``19.99`` has two decimals)."""

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from odoo.exceptions import UserError
from odoo.tools import format_amount

#: The largest id of a record (PostgreSQL ``integer``).
MAX_ID = 2**31 - 1
#: The largest offset of a page of a list.
MAX_OFFSET = 2**31 - 1
# Plain decimal digits (ASCII only), one decimal separator: the integer
# part and the decimals.
PLAIN_DECIMAL = re.compile(r"0*([0-9]+?)(?:[.,]([0-9]*))?")


@dataclass(frozen=True)
class NumberRule:
    """A kind of number: zero or more, at most ``maximum``, with at most
    ``decimals`` decimals."""

    name: str
    maximum: Decimal
    decimals: int


PRICE = NumberRule("price", Decimal(1_000_000_000), 6)
QUANTITY = NumberRule("quantity", Decimal(1_000_000_000), 6)
# An amount at stake (a ticket, a dispute): money, at most two decimals.
AMOUNT = NumberRule("amount", Decimal("999999999.99"), 2)
RULES = {rule.name: rule for rule in (PRICE, QUANTITY, AMOUNT)}


class NumberRefused(ValueError):
    """A value that ``rule`` refuses: ``reason`` is ``"number"`` (not a
    number of this kind: type, sign, non-finite, too many decimals) or
    ``"maximum"`` (above the rule's maximum)."""

    def __init__(self, rule, reason):
        super().__init__(f"{rule.name}: {reason}")
        self.rule = rule
        self.reason = reason


def _checked(number, rule):
    """``number`` (a finite Decimal) held to ``rule``."""
    if number < 0 or -number.as_tuple().exponent > rule.decimals:
        raise NumberRefused(rule, "number")
    if number > rule.maximum:
        raise NumberRefused(rule, "maximum")
    return number


def number_from_text(text, rule):
    """The Decimal a form sent for ``rule`` (empty is 0), or NumberRefused."""
    text = str(text if text is not None else "").strip() or "0"
    plain = PLAIN_DECIMAL.fullmatch(text)
    if not plain:
        raise NumberRefused(rule, "number")
    integer, decimals = plain.group(1), plain.group(2) or ""
    if len(decimals) > rule.decimals:
        raise NumberRefused(rule, "number")
    if len(integer) > len(str(int(rule.maximum))):
        # Too large, whatever its length: not read as a number at all.
        raise NumberRefused(rule, "maximum")
    return _checked(Decimal(f"{integer}.{decimals or 0}"), rule)


def number_from_json(value, rule):
    """The Decimal of a JSON number sent for ``rule``, or NumberRefused:
    booleans, strings and non-finite numbers are no numbers."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise NumberRefused(rule, "number")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NumberRefused(rule, "number")
        # repr: the shortest decimal that denotes this float (19.99, 1e+20).
        return _checked(Decimal(repr(value)), rule)
    return _checked(Decimal(value), rule)


def refusal_message(env, refused, label):
    """The translated message of a refused number, ``label`` naming it."""
    rule = refused.rule
    if rule is AMOUNT:
        return env._(
            "Enter the amount at stake as a positive number with at most two "
            "decimals, for example 45.50."
        )
    if refused.reason == "maximum":
        return env._(
            "%(label)s must not exceed %(max)s.",
            label=label,
            max=f"{rule.maximum:,.0f}",
        )
    return env._("%s must be a number such as 12 or 12.50.", label)


def parse_number(env, text, rule, label):
    """The float a form sent for ``rule``, or a UserError the form shows."""
    try:
        return float(number_from_text(text, rule))
    except NumberRefused as refused:
        raise UserError(refusal_message(env, refused, label)) from None


# ------------------------------------------------------------------ totals
def order_total(order):
    """What the buyer pays for ``order``, taxes included, in the currency of
    its company (the currency of tickets' and disputes' amounts)."""
    return order.amount_total / (order.currency_rate or 1.0)


def order_part_total(part):
    """What the buyer pays for the seller's lines of an order part, taxes
    included, in the currency of its company."""
    lines = part.order_id.order_line.filtered(
        lambda line: (
            line.product_id.product_tmpl_id.marketplace_seller_id == part.seller_id
        )
    )
    return sum(lines.mapped("price_total")) / (part.order_id.currency_rate or 1.0)


def amount_over_total(env, amount, total, currency):
    """The translated message when an amount at stake exceeds the ``total``
    of the order (or order part) it is about, else None."""
    if currency.compare_amounts(amount, total) <= 0:
        return None
    return env._(
        "The amount at stake may not exceed the total of the order (%s).",
        format_amount(env, total, currency),
    )
