# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase


class TestChapter(FrappeTestCase):
	def test_named_by_trimmed_chapter_name(self):
		name = f"Afdeling {frappe.generate_hash(length=6)}"
		chapter = frappe.get_doc({"doctype": "Chapter", "chapter_name": f"  {name} ", "city": "Utrecht"}).insert()
		self.assertEqual(chapter.name, name)
