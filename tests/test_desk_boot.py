"""The browser tests load a Desk page again only when Frappe's template compiler drew a keyword."""

from verenigingen.tests.desk_boot import failed_on_a_keyword_counter

# Frappe 15's microtemplate output for the navbar's first loop, as it makes it (node, get_random forced).
LOOP = "for (var {i}=0, {n}=navbar_settings.help_dropdown.length; {i}<{n}; {i}++) {{ var item = x[{i}]; }}"


def test_a_keyword_counter_is_recognised_in_either_place():
	for keyword in ("new", "for", "try", "var"):
		assert failed_on_a_keyword_counter([LOOP.format(i=keyword, n="Qxz")])
		assert failed_on_a_keyword_counter([LOOP.format(i="Qxz", n=keyword)])


def test_other_failures_stay_failures():
	assert not failed_on_a_keyword_counter([])
	assert not failed_on_a_keyword_counter([LOOP.format(i="neW", n="Try")])  # case matters to JavaScript
	assert not failed_on_a_keyword_counter(["_p.push('<div class=\"', doc.name ,'\">'); }); broken"])
