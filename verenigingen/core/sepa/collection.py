"""Who is due on a collection date, and the totals of a batch, from plain values."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

MONTHS_BETWEEN = {"Monthly": 1, "Quarterly": 3, "Annually": 12}


@dataclass(frozen=True)
class DueEntry:
	"""One member to collect from: the amount in cents and the period it pays for."""

	member: str
	mandate: str
	amount_cents: int
	period_key: str
	invoice: str | None = None  # the contribution invoice collected (ERPNext integration)


def to_cents(amount) -> int:
	"""Euros (number or text) to whole cents, rounded half up."""
	return int((Decimal(str(amount or 0)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def is_due(period: str, collection_date: date, member_since: date | None) -> bool:
	"""Monthly every month; quarterly and annually in the months counted from the member's start month."""
	step = MONTHS_BETWEEN.get(period or "")
	if not step:
		return False
	anchor_month = member_since.month if member_since else 1
	return (collection_date.month - anchor_month) % step == 0


def period_key(period: str, collection_date: date) -> str:
	"""The period a collection pays for, e.g. ``M2026-12``, ``Q2026-12``, ``A2026-12``."""
	return f"{(period or '?')[0]}{collection_date:%Y-%m}"


def select_due(
	members: list[dict], collection_date: date, already_collected: set[tuple[str, str]]
) -> list[DueEntry]:
	"""Members with an active mandate and a contribution due on the date, not yet in a batch for that period.

	Each member dict holds ``name``, ``mandate``, ``contribution_amount``, ``contribution_period``
	and ``member_since``.
	"""
	due = []
	for member in members:
		cents = to_cents(member.get("contribution_amount"))
		period = member.get("contribution_period")
		if (
			cents <= 0
			or not member.get("mandate")
			or not is_due(period, collection_date, member.get("member_since"))
		):
			continue
		key = period_key(period, collection_date)
		if (member["name"], key) in already_collected:
			continue
		due.append(DueEntry(member["name"], member["mandate"], cents, key))
	return due


def batch_totals(amounts_cents: list[int]) -> dict:
	"""Count and control sum (in cents and as the euro text pain.008 carries)."""
	total = sum(amounts_cents)
	return {"count": len(amounts_cents), "total_cents": total, "control_sum": f"{Decimal(total) / 100:.2f}"}
