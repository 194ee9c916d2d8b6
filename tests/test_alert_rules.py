"""Alert rules: fingerprints, severity order, cooldown, thresholds and masked context."""

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verenigingen.core import alert_rules as rules
from verenigingen.core.masking import mask_iban

NOW = datetime(2026, 12, 2, 9, 0, 0)


def test_fingerprint_is_stable_and_tells_conditions_apart():
	"""Same type and key, same fingerprint; another key or type, another one."""
	assert rules.fingerprint("error_log_rate", "hour") == rules.fingerprint("error_log_rate", "hour")
	assert rules.fingerprint("error_log_rate", "hour") != rules.fingerprint("error_log_rate", "day")
	assert rules.fingerprint("a", "bc") != rules.fingerprint("ab", "c")
	assert rules.fingerprint("slow_query") == rules.fingerprint("slow_query", "")
	assert len(rules.fingerprint("x", "y")) == 32


@given(st.text(), st.text())
def test_fingerprint_fits_its_field(alert_type, key):
	"""Any type and key give 32 hex characters (the Data field holds 140)."""
	value = rules.fingerprint(alert_type, key)
	assert len(value) == 32 and set(value) <= set("0123456789abcdef")


def test_severity_order():
	"""Info < Warning < High < Critical; unknown severities are refused."""
	assert rules.SEVERITIES == ("Info", "Warning", "High", "Critical")
	assert [rules.severity_rank(s) for s in rules.SEVERITIES] == [0, 1, 2, 3]
	assert rules.at_least("Critical", "Warning") and rules.at_least("Warning", "Warning")
	assert rules.at_least("High", "Warning") and not rules.at_least("High", "Critical")
	assert not rules.at_least("Info", "Warning")
	assert rules.at_least("Warning", "") and not rules.at_least("Info", None)
	with pytest.raises(ValueError):
		rules.severity_rank("Fatal")


SPELLINGS = {
	"Info": ["LOW", "low", "Low", "lOw", "INFO", "info", "Info", " LOW ", "low\n"],
	"Warning": ["MEDIUM", "medium", "Medium", "WARNING", "warning", "Warning", "\tMedium"],
	"High": ["HIGH", "high", "High", "hIGH", " high"],
	"Critical": ["CRITICAL", "critical", "Critical", "CrItIcAl", "critical "],
}


@pytest.mark.parametrize(
	("spelling", "stored"), [(spelling, stored) for stored, spellings in SPELLINGS.items() for spelling in spellings]
)
def test_every_spelling_maps_to_the_stored_severity(spelling, stored):
	"""LOW/MEDIUM/HIGH/CRITICAL and Info/Warning/High/Critical, any case, map to one stored name."""
	assert rules.normalise_severity(spelling) == stored
	assert rules.severity_rank(spelling) == rules.SEVERITIES.index(stored)


@pytest.mark.parametrize(
	"bad", ["", " ", "Fatal", "urgent", "LOWEST", "crit", "warn", "Info!", "L O W", "hoog", None, 1, 2.0, True, ["LOW"]]
)
def test_bad_severities_are_refused_with_the_accepted_spellings(bad):
	"""Anything else raises ValueError that names the value and what is accepted."""
	with pytest.raises(ValueError) as error:
		rules.normalise_severity(bad)
	assert repr(bad) in str(error.value)
	assert "LOW, MEDIUM, HIGH, CRITICAL" in str(error.value)


def test_stored_names_map_to_themselves_and_the_mapping_is_closed():
	"""Normalising is idempotent and every spelling lands in SEVERITIES."""
	assert all(rules.normalise_severity(s) == s for s in rules.SEVERITIES)
	assert set(rules.SEVERITY_SPELLINGS.values()) == set(rules.SEVERITIES)


@given(st.text(max_size=12))
def test_any_text_is_either_a_stored_severity_or_refused(text):
	"""No input ever yields a value outside the stored vocabulary."""
	try:
		assert rules.normalise_severity(text) in rules.SEVERITIES
	except ValueError:
		assert text.strip().lower() not in rules.SEVERITY_SPELLINGS


def test_count_by_severity_has_one_label_per_stored_severity():
	"""Prometheus gets Info, Warning, High, Critical each once; other spellings are folded in."""
	counts = rules.count_by_severity({"Critical": 2, "HIGH": 1, "High": 3, "low": 4, "bogus": 9, None: 5})
	assert counts == {"Info": 4, "Warning": 0, "High": 4, "Critical": 2}
	assert list(rules.count_by_severity({})) == list(rules.SEVERITIES)


PROMETHEUS_RULES = Path(__file__).parent.parent / "docs" / "monitoring" / "alert_rules.yml"


def test_prometheus_rules_use_the_stored_severities():
	"""Selectors on verenigingen_alerts_open match a stored name exactly; rule labels are those lower-cased."""
	text = PROMETHEUS_RULES.read_text(encoding="utf-8")
	selected = re.findall(r'verenigingen_alerts_open\{severity="([^"]*)"\}', text)
	labels = re.findall(r"labels: \{severity: ([^,}]*)\}", text)
	assert set(selected) == {"High", "Critical"}
	assert all(value in rules.SEVERITIES for value in selected)
	assert labels and all(value == rules.normalise_severity(value).lower() for value in labels)


def test_email_minimum_in_any_spelling():
	"""The e-mail minimum may be written as an operator writes it."""
	assert rules.at_least("HIGH", "medium") and not rules.at_least("low", "MEDIUM")
	assert rules.should_email("critical", "HIGH", None, NOW, 60)
	assert not rules.should_email("Warning", "high", None, NOW, 60)


@pytest.mark.parametrize(
	("last", "cooldown", "over"),
	[
		(None, 60, True),
		(NOW - timedelta(minutes=59), 60, False),
		(NOW - timedelta(minutes=60), 60, True),
		(NOW - timedelta(minutes=1), 0, True),
		(NOW - timedelta(minutes=1), None, True),
	],
)
def test_cooldown(last, cooldown, over):
	"""An e-mail may go out again once the cooldown has fully passed."""
	assert rules.cooldown_over(last, NOW, cooldown) is over


def test_should_email_needs_recipients_severity_and_cooldown():
	"""Each of the three conditions alone can hold the e-mail back."""
	assert rules.should_email("Warning", "Warning", None, NOW, 60)
	assert not rules.should_email("Warning", "Warning", None, NOW, 60, has_recipients=False)
	assert not rules.should_email("Info", "Warning", None, NOW, 60)
	assert not rules.should_email("Critical", "Info", NOW - timedelta(minutes=5), NOW, 60)


@pytest.mark.parametrize(
	("value", "threshold", "crossed"),
	[
		(50, 50, True),
		(49, 50, False),
		(0, 1, False),
		(1, 1, True),
		(1000, 0, False),
		(5, None, False),
		(None, 5, False),
	],
)
def test_threshold_crossed(value, threshold, crossed):
	"""At or above the threshold counts; a threshold of 0 or empty switches the check off."""
	assert rules.threshold_crossed(value, threshold) is crossed


def test_threshold_undercut():
	"""Minimums: below counts, equal does not, 0 switches off."""
	assert rules.threshold_undercut(14.9, 15) and not rules.threshold_undercut(15, 15)
	assert not rules.threshold_undercut(0, 0) and not rules.threshold_undercut(None, 15)


def test_severity_for_count_escalates_from_twice_the_threshold():
	"""Warning when crossed, Critical from twice the threshold."""
	assert rules.severity_for_count(50, 50) == "Warning"
	assert rules.severity_for_count(99, 50) == "Warning"
	assert rules.severity_for_count(100, 50) == "Critical"
	assert rules.severity_for_count(3, 1, base="Critical") == "Critical"


def test_parse_recipients():
	"""Comma, semicolon and newline separated; blanks, non-addresses and repeats dropped."""
	text = "beheer@vereniging.nl, Penningmeester@vereniging.nl\n\nbeheer@vereniging.nl; nope ;"
	assert rules.parse_recipients(text) == ["beheer@vereniging.nl", "penningmeester@vereniging.nl"]
	assert rules.parse_recipients(None) == []


def test_mask_context_masks_ibans_and_drops_bodies():
	"""IBANs anywhere are masked, a field named iban always, message bodies removed."""
	context = {
		"iban": "NL91ABNA0417164300",
		"member": {"note": "paid from NL91 ABNA 0417 1643 00", "ibans": ["DE89370400440532013000"]},
		"email_body": "Beste Jan, ...",
		"count": 3,
		"ok": True,
		"when": NOW,
	}
	masked = rules.mask_context(context)
	text = json.dumps(masked, default=str)
	assert "0417164300" not in text and "0417 1643" not in text and "0532013000" not in text
	assert masked["iban"] == mask_iban("NL91ABNA0417164300")
	assert masked["member"]["ibans"] == [mask_iban("DE89370400440532013000")]
	assert masked["email_body"] == rules.REMOVED
	assert masked["count"] == 3 and masked["ok"] is True
	assert context["iban"] == "NL91ABNA0417164300"


def test_context_json_is_masked_json():
	"""Stored context is JSON of the masked values; no context is an empty object."""
	assert json.loads(rules.context_json(None)) == {}
	stored = rules.context_json({"iban": "NL91ABNA0417164300", "n": 1})
	assert json.loads(stored) == {"iban": mask_iban("NL91ABNA0417164300"), "n": 1}


def test_mask_text_masks_emails_and_ibans_and_cuts():
	"""Query text in an alert shows no address or IBAN and stays short."""
	sql = "select * from tabMember where email='jan.jansen@example.nl' or iban='NL91ABNA0417164300'"
	masked = rules.mask_text(sql)
	assert "jan.jansen" not in masked and "j***@example.nl" in masked
	assert "0417164300" not in masked
	assert len(rules.mask_text("x" * 2000, limit=100)) == 100


def test_defaults_are_switched_on():
	"""Every numeric alert threshold has a positive default."""
	numeric = {k: v for k, v in rules.ALERT_SETTING_DEFAULTS.items() if isinstance(v, int)}
	assert numeric and all(v > 0 for v in numeric.values())
	assert rules.ALERT_SETTING_DEFAULTS["alert_email_min_severity"] in rules.SEVERITIES


def test_version_sets_reads_a_status_change():
	"""Only a change *to* the value counts; other fields, added rows and bad JSON do not."""
	changed = json.dumps({"changed": [["city", "Utrecht", "Zwolle"], ["status", "Active", "Terminated"]]})
	assert rules.version_sets(changed, "status", "Terminated")
	assert not rules.version_sets(changed, "status", "Active")
	back = json.dumps({"changed": [["status", "Terminated", "Active"]]})
	assert not rules.version_sets(back, "status", "Terminated")
	note = json.dumps({"changed": [["note", "", "Terminated"]]})
	assert not rules.version_sets(note, "status", "Terminated")
	assert not rules.version_sets('{"added": [], "changed": []}', "status", "Terminated")
	assert not rules.version_sets("not json", "status", "Terminated")
	assert not rules.version_sets("[1, 2]", "status", "Terminated")
	assert not rules.version_sets(None, "status", "Terminated")
