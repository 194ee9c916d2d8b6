"""Tell Frappe's scheduler at once that the site is in use.

From Frappe 15.5x on, ``frappe.utils.scheduler.schedule_jobs_based_on_activity`` is wrapped in
``@redis_cache(ttl=3600)``: the scheduler keeps its "dormant, run once a day" verdict for a site for
an hour, so an Activity Log row written now would count only when that verdict expires. Whoever
records activity for the scheduler forgets this site's cached verdict, now (for readers in this
transaction) and again after the commit (a tick between the two would cache the old verdict from
a database that does not yet show the row). Older v15 releases compute it on every tick.
"""

import frappe
from frappe.utils.scheduler import schedule_jobs_based_on_activity


def forget_scheduler_verdict() -> None:
	"""Drop this site's cached verdict of the scheduler, now and after the current commit."""
	clear = getattr(schedule_jobs_based_on_activity, "clear_cache", None)
	if clear is None:  # a Frappe that does not cache it
		return
	clear()
	frappe.db.after_commit.add(clear)
