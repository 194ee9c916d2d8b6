"""Synthetic Mijnrood exports for demos and tests: deterministic, every shape, every defect, a manifest.

	python -m verenigingen.demo.mijnrood_export OUTDIR [--members 60] [--seed 2026] [--no-defects]
		[--shapes xlsx csv-excel-nl csv-utf8-bom everything-dir] [--today 2026-11-23]

``generate_members(count, seed, defects, today)`` gives the members as dicts; ``write_export``
writes them in the file names a real export has, with ``manifest.json`` (the structure of the
shared sample's manifest, plus each row's expected verdict and the expected import counts);
``export_bytes`` gives one shape as an upload. The same seed always gives the same files.

``defects=True`` plants every kind of ``mijnrood_defects.DEFECTS`` (one set per 500 members),
``False`` none, or name the kinds (``SAMPLE_DEFECTS``: the shared sample's five). Guarantees the
tests rely on: row 0 is a complete, valid Dutch member; some valid row has a first name Windows-1252
cannot hold (``Ayşe``) while its other name parts can; a valid row is "Opgezegd" (no login); two
valid rows are namesakes; the row a duplicate repeats is the row just before it and is imported.
Pure Python: never imports frappe (the site-free tests use it).
"""

import argparse
import json
import random
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from verenigingen.demo import mijnrood_files as files
from verenigingen.demo.mijnrood_defects import (
	CREATE,
	DEFECTS,
	ERROR,
	EVERYTHING,
	OK,
	REPEATS,
	SAMPLE_DEFECTS,
	WARNING,
)
from verenigingen.demo.mijnrood_people import (
	CHAPTERS,
	CITIES,
	FOREIGN,
	STREETS,
	Person,
	contribution,
	day_between,
	draw_person,
	dutch_iban,
	email_for,
	mollie_id,
	password_hash,
	phone_for,
	postcode_for,
)

SHAPES = ("xlsx", "csv-excel-nl", "csv-utf8-bom", "everything-dir")
FILE_NAMES = {
	"xlsx": "Export Ledendatabase.xlsx",
	"csv-excel-nl": "ledenexport_excel_nl.csv",
	"csv-utf8-bom": "ledenexport_utf8_bom.csv",
	"everything-dir": "export-everything",
}
ZIP_NAME = "export-everything.zip"
CP1252 = "csv-excel-nl"
LOST_LETTER = "perhaps a letter lost"
REFERENCE_TODAY = date(2026, 11, 23)
FIRST_LIDNR = 1000
MEMBERS_PER_DEFECT_SET = 500
STATUS_IDS = {"Lid": 1, "Aspirant": 2, "Opgezegd": 3, "": None}
ACCESS_BY_STATUS = {"Lid": True, "Aspirant": True, "Opgezegd": False, "": True}
LOSSY_FIRST_NAMES = ("Ayşe", "Çağla", "Şükrü")
NAME_KEYS = ("first_name", "middle_name", "last_name")
CHAPTER_CITIES = tuple(city for city, (*_, chapter) in CITIES.items() if chapter)
__all__ = [
	"SAMPLE_DEFECTS",
	"SHAPES",
	"expected_counts",
	"expected_verdict",
	"export_bytes",
	"generate_members",
	"write_export",
]


def generate_members(
	count: int, seed: int = 2026, defects: bool | Iterable[str] = True, today: date | None = None
) -> list[dict]:
	"""``count`` members in file order, each with its planted ``defect`` and expected verdict."""
	today = today or REFERENCE_TODAY
	rng = random.Random(seed)
	rows = [_member(number, rng, today) for number in range(count)]
	layout = defect_layout(count, _kinds(defects), rng)
	_plant_guarantees(rows, layout, rng)
	for index, kind in sorted(layout.items()):
		DEFECTS[kind].apply(rows[index], rng, rows[index - 1])
		rows[index]["defect"] = kind
	for row in rows:
		_expect(row)
	return rows


def _kinds(defects) -> list[str]:
	if defects is True:
		return list(DEFECTS)
	kinds = list(defects or ())
	unknown = sorted(set(kinds) - set(DEFECTS))
	if unknown:
		raise ValueError(f"unknown defect kinds: {', '.join(unknown)}")
	return kinds


def defect_layout(count: int, kinds: list, rng: random.Random) -> dict:
	"""``{row index: kind}``: spread out, never row 0, never two adjacent (a repeat copies a clean row)."""
	kinds = kinds * max(1, count // MEMBERS_PER_DEFECT_SET)
	kinds = kinds[: max(0, count // 2 - 1)]
	step = count / (len(kinds) + 1)
	rng.shuffle(kinds)
	return {int((i + 1) * step): kind for i, kind in enumerate(kinds)}


def _member(number: int, rng: random.Random, today: date) -> dict:
	"""One valid member; row 0 is complete (phone, IBAN, group, dates, a login)."""
	complete = number == 0
	person = draw_person(rng)
	while complete and _loses_letters(_names(person)):
		person = draw_person(rng)
	status = "Lid" if complete else rng.choices(tuple(STATUS_IDS), weights=(55, 20, 10, 15))[0]
	city = rng.choice(CHAPTER_CITIES if complete else tuple(CITIES))
	country, postcode = "NL", postcode_for(rng, city)
	if not complete and rng.random() < 0.03:
		country, city, postcode = rng.choice(FOREIGN)
	chapter = CITIES.get(city, ("", "", "", ""))[3] if complete or rng.random() < 0.92 else ""
	phone, e164 = phone_for(rng, city if city in CITIES else "Nijmegen")
	if not complete and rng.random() < 0.08:
		phone, e164 = "", ""
	amount, period = contribution(rng, status)
	has_iban = complete or rng.random() < 0.8
	with_mollie = not has_iban or rng.random() < 0.3
	born = day_between(rng, date(1940, 1, 1), date(2008, 12, 31))
	joined_from = max(date(2010, 1, 1), born + timedelta(days=16 * 366))
	since = day_between(rng, joined_from, today - timedelta(days=1))
	return {
		"lidnr": FIRST_LIDNR + number,
		**_names(person),
		"birth_date": born if complete or rng.random() < 0.95 else None,
		"member_since": since,
		"chapter": chapter,
		"division_id": CHAPTERS.index(chapter) + 1 if chapter else None,
		"email": email_for(person, number, rng),
		"phone": phone,
		"phone_e164": e164,
		"address": f"{rng.choice(STREETS)} {rng.randint(1, 250)}",
		"city": city,
		"postcode": postcode,
		"country": country,
		"iban": dutch_iban(rng) if has_iban else "",
		"amount": amount,
		"period": period,
		"paid": rng.random() < 0.85,
		"mollie_customer_id": mollie_id(rng, "cst") if with_mollie else "",
		"mollie_subscription_id": mollie_id(rng, "sub") if with_mollie else "",
		"privacy": rng.random() < 0.9,
		**_status(status),
		"password_hash": password_hash(rng) if rng.random() < 0.6 else None,
		"roles": '["ROLE_ADMIN"]' if number % 97 == 5 else "[]",
		"comments": 'Wil helpen bij "flyeren", liever niet bellen' if number % 41 == 7 else None,
		"defect": "ok",
	}


def _names(person: Person) -> dict:
	return {"first_name": person.first_name, "middle_name": person.middle_name, "last_name": person.last_name}


def _status(status: str) -> dict:
	return {"status": status, "status_id": STATUS_IDS[status], "allows_access": ACCESS_BY_STATUS[status]}


def _plant_guarantees(rows: list, layout: dict, rng: random.Random) -> None:
	"""A lossy first name, a namesake pair and an "Opgezegd" member among the clean rows."""
	clean = [i for i in range(1, len(rows)) if i not in layout and i + 1 not in layout]
	if len(clean) >= 3:
		lossy, namesake, opgezegd = clean[len(clean) // 4], clean[len(clean) // 2], clean[-1]
		person = draw_person(rng)
		while _loses_letters(_names(person)):
			person = draw_person(rng)
		_rename(rows[lossy], Person(rng.choice(LOSSY_FIRST_NAMES), person.middle_name, person.last_name), rng)
		_rename(rows[namesake], Person(*(rows[0][key] for key in NAME_KEYS)), rng)
		rows[opgezegd].update(_status("Opgezegd"))


def _rename(row: dict, person: Person, rng: random.Random) -> None:
	row.update(_names(person), email=email_for(person, row["lidnr"] - FIRST_LIDNR, rng))


def _loses_letters(entry: dict) -> bool:
	"""True when a name part cannot be saved in Windows-1252 (Dutch Excel's CSV)."""
	return any(
		entry[key].encode("cp1252", errors="replace").decode("cp1252") != entry[key] for key in NAME_KEYS
	)


def _expect(row: dict) -> None:
	"""The verdict the parser and the import's plan owe this row, in every shape."""
	kind = row["defect"]
	defect = DEFECTS.get(kind)
	verdict, action, message = (defect.verdict, defect.action, defect.message) if defect else (OK, CREATE, "")
	overrides = defect.shape_verdicts if defect else {}
	shape_verdicts = {shape: list(value) for shape, value in overrides.items()}
	row["cp1252_loss"] = _loses_letters(row)
	if row["cp1252_loss"] and verdict == OK:
		shape_verdicts[CP1252] = [WARNING, LOST_LETTER]
	row.update(verdict=verdict, message=message, shape_verdicts=shape_verdicts)
	row["import"] = action


def expected_verdict(entry: dict, shape: str) -> tuple[str, str]:
	"""``(ok|warning|error, message fragment)`` of a manifest row in a shape, also for the shared sample.

	The shared sample's manifest names only the defect; its verdict follows from ``DEFECTS``.
	"""
	family = EVERYTHING if "everything" in shape else shape
	if "verdict" in entry:
		override = entry.get("shape_verdicts", {}).get(family)
		return tuple(override) if override else (entry["verdict"], entry["message"])
	defect = DEFECTS.get(entry["defect"])
	verdict, message = (defect.verdict, defect.message) if defect else (OK, "")
	if family == CP1252 and verdict == OK and _loses_letters(entry):
		return WARNING, LOST_LETTER
	return verdict, message


def expected_action(entry: dict) -> str:
	"""What the import does with the row on an empty site: create, skip or error."""
	if "import" in entry:
		return entry["import"]
	defect = DEFECTS.get(entry["defect"])
	return defect.action if defect else CREATE


def expected_counts(manifest: dict) -> dict:
	"""The import's counts for the whole file on an empty site (the same for every shape)."""
	actions = [expected_action(entry) for entry in manifest["rows"]]
	verdicts = [expected_verdict(entry, "xlsx")[0] for entry in manifest["rows"]]
	return {
		"total_rows": len(actions),
		"valid_rows": sum(verdict != ERROR for verdict in verdicts),
		"error_count": actions.count(ERROR),
		"skipped_count": actions.count("skip"),
		"created_count": actions.count(CREATE),
	}


def expected_summary(manifest: dict, shape: str) -> dict:
	"""The parser's ``ParsedExport.summary()`` for the shape."""
	verdicts = [expected_verdict(entry, shape)[0] for entry in manifest["rows"]]
	valid = sum(verdict != ERROR for verdict in verdicts)
	return {
		"total": len(verdicts),
		"valid": valid,
		"with_warnings": verdicts.count(WARNING),
		"errors": len(verdicts) - valid,
	}


MANIFEST_KEYS = (
	# the shared sample's manifest row, then what this generator adds
	*("lidnr", "email", "defect", "iban", "first_name", "middle_name", "last_name", "status"),
	*("row", "chapter", "division_id", "phone", "phone_e164", "address", "postcode", "city", "country"),
	*("birth_date", "member_since", "amount", "period", "allows_access", "cp1252_loss"),
	*("verdict", "import", "message", "shape_verdicts"),
)


def build_manifest(rows: list, seed: int, today: date | None) -> dict:
	entries = [
		{key: files.json_value(row[key]) for key in MANIFEST_KEYS if key != "row"} | {"row": index + 2}
		for index, row in enumerate(rows)
	]
	planted = dict.fromkeys(row["defect"] for row in rows if row["defect"] != "ok")
	manifest = {
		"members": len(rows),
		"defects": {kind: DEFECTS[kind].description for kind in DEFECTS if kind in planted},
		"rows": entries,
		"generator": "verenigingen.demo.mijnrood_export",
		"seed": seed,
		"today": (today or REFERENCE_TODAY).isoformat(),
		"files": FILE_NAMES,
		"chapters": list(
			dict.fromkeys(entry["chapter"] for entry in entries if entry["chapter"] and entry["verdict"] != ERROR)
		),
	}
	manifest["counts"] = expected_counts(manifest)
	manifest["summary"] = {shape: expected_summary(manifest, shape) for shape in SHAPES}
	return manifest


def render(rows: list, shape: str) -> bytes | dict:
	"""One shape: bytes, or ``{file name: bytes}`` for the export-everything folder."""
	if shape == "xlsx":
		return files.admin_xlsx(rows)
	if shape == "csv-excel-nl":
		return files.excel_nl_csv(rows)
	if shape == "csv-utf8-bom":
		return files.utf8_bom_csv(rows)
	if "everything" in shape:
		return files.everything_files(rows, CHAPTERS)
	raise ValueError(f"unknown shape {shape!r}; choose from {', '.join(SHAPES)}")


def write_export(
	directory,
	count: int = 60,
	seed: int = 2026,
	defects: bool | Iterable[str] = True,
	shapes: Iterable[str] = SHAPES,
	today: date | None = None,
) -> dict:
	"""Write the shapes and ``manifest.json`` into ``directory`` (created); return the manifest."""
	directory = Path(directory)
	directory.mkdir(parents=True, exist_ok=True)
	rows = generate_members(count, seed, defects, today)
	for shape in shapes:
		content = render(rows, shape)
		if isinstance(content, dict):
			folder = directory / FILE_NAMES["everything-dir"]
			folder.mkdir(exist_ok=True)
			for name, data in content.items():
				(folder / name).write_bytes(data)
		else:
			(directory / FILE_NAMES[shape]).write_bytes(content)
	manifest = build_manifest(rows, seed, today)
	(directory / "manifest.json").write_text(manifest_json(manifest), "utf-8")
	return manifest


def manifest_json(manifest: dict) -> str:
	"""The manifest as JSON with one line per row (50,000 rows stay a file a person can grep)."""
	head = json.dumps({k: v for k, v in manifest.items() if k != "rows"}, ensure_ascii=False, indent=1)
	rows = ",\n".join("  " + json.dumps(row, ensure_ascii=False) for row in manifest["rows"])
	return f'{head[:-2]},\n "rows": [\n{rows}\n ]\n}}\n'



def export_bytes(
	shape: str,
	count: int = 60,
	seed: int = 2026,
	defects: bool | Iterable[str] = True,
	today: date | None = None,
) -> tuple[bytes, str]:
	"""One shape as an upload ``(content, file name)``; export-everything zipped with its folder inside."""
	content = render(generate_members(count, seed, defects, today), shape)
	if isinstance(content, dict):
		return files.zip_folder(content, FILE_NAMES["everything-dir"]), ZIP_NAME
	return content, FILE_NAMES[shape]


def main(argv: list | None = None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("outdir", type=Path)
	parser.add_argument("--members", type=int, default=60)
	parser.add_argument("--seed", type=int, default=2026)
	parser.add_argument("--no-defects", action="store_true", help="only valid members")
	parser.add_argument(
		"--defects", nargs="+", metavar="KIND", help=f"only these kinds: {', '.join(DEFECTS)}"
	)
	parser.add_argument("--shapes", nargs="+", choices=SHAPES, default=list(SHAPES))
	parser.add_argument("--today", type=date.fromisoformat, help="dates stay before this day (YYYY-MM-DD)")
	args = parser.parse_args(argv)
	defects = False if args.no_defects else (args.defects or True)
	manifest = write_export(args.outdir, args.members, args.seed, defects, args.shapes, args.today)
	counts = manifest["counts"]
	print(
		f"{args.outdir}: {manifest['members']} members, {len(manifest['defects'])} defect kinds; "
		f"the import should create {counts['created_count']}, refuse {counts['error_count']} "
		f"and skip {counts['skipped_count']}"
	)
	return 0


if __name__ == "__main__":
	raise SystemExit(main())
