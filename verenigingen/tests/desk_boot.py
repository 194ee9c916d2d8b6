"""Tell a Desk that did not start because of Frappe's own template compiler from one that failed on us.

Frappe's microtemplate (``frappe/public/js/frappe/microtemplate.js``) names the counters of each
``{% for %}`` loop with ``frappe.utils.get_random(3)``: three random letters, which are now and then
a JavaScript keyword (``new``, ``for``, ``try``, ``var``). The template then does not compile, Frappe
throws "frappe.template.compile(...) is not a function" and Desk never starts. The navbar has two
loops, so about one Desk load in 9,000 fails this way on every page (measured: 221 in 2,000,000
compiles of Frappe 15.56.1's navbar). A browser test loads such a page once more, for this reason
only; any other failure stays a failure.
"""

import re

# The code Frappe made for a loop whose counter drew a keyword: `for (var new=0, abc=...` or `, new=...`.
KEYWORD_COUNTER = re.compile(r"for \(var (for|new|try|var)=|, (for|new|try|var)=")

DESK_STARTED_OR_TEMPLATE_FAILED = """() => window.frappe && frappe.template && (frappe.frappe_toolbar
	|| Object.keys(frappe.template.debug).some((name) => !frappe.template.compiled[name]))"""

FAILED_TEMPLATES = """() => Object.entries(frappe.template.debug)
	.filter(([name]) => !frappe.template.compiled[name]).map(([, code]) => code)"""


def failed_on_a_keyword_counter(compiled_code: list[str]) -> bool:
	"""True when a template that did not compile failed because a loop counter drew a keyword."""
	return any(KEYWORD_COUNTER.search(code) for code in compiled_code)


def desk_hit_frappe_template_keyword(page) -> bool:
	"""Wait for Desk to start on ``page``; True only when it failed on a keyword loop counter."""
	page.wait_for_function(DESK_STARTED_OR_TEMPLATE_FAILED)
	return failed_on_a_keyword_counter(page.evaluate(FAILED_TEMPLATES))
