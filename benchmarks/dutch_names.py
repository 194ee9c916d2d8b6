"""Realistic Dutch member names for benchmarks: the most common surnames and first names.

Many members of a real association share a full name ("Jan de Jong"), and Frappe pays for
that: it names a Contact after its person and, for a name that exists, scans all Contact
names for a free number. Names are drawn with Zipf-like weights (the n-th most common about
1/n as often as the first), as real name frequencies fall off.
"""

import random

# The 200 most common Dutch surnames (approximately in order), as "tussenvoegsel|achternaam".
_SURNAMES = """de|Jong Jansen de|Vries van den|Berg van|Dijk Bakker Janssen Visser Smit Meijer de|Boer Mulder
de|Groot Bos Vos Peters Hendriks van|Leeuwen Dekker Brouwer de|Wit Dijkstra Smits de|Graaf van der|Meer
van der|Linden Kok Jacobs de|Haan Vermeulen van den|Heuvel van der|Veen van den|Broek de|Bruijn de|Bruin
van der|Heijden Schouten van|Beek Willems van|Vliet van de|Ven Hoekstra Maas Verhoeven Koster van|Dam
van der|Wal Prins Blom Huisman Peeters de|Jonge Kuipers van|Veen Post Kuiper Veenstra Kramer van den|Brink
Scholten van|Wijk Postma Martens Vink de|Ruiter Timmermans Groen Gerritsen Jonker van|Loon Boer
van der|Velde Willemsen Smeets de|Lange de|Vos Bosch van|Dongen Schipper de|Koning van der|Laan Koning
van der|Velden Driessen van|Doorn Hermans Evers van den|Bosch van der|Meulen Hofman Bosman Wolters Sanders
van der|Horst Mol Kuijpers Molenaar van de|Pol de|Leeuw Verbeek Wijnands Hoogendoorn Claassen Vermeer
van|Es Dekkers Hoek Wouters Schouten Roos Kroon Zwart Meijers van|Rijn Aalbers Brink van|Wijngaarden
Koopmans Baas de|Wit Snijders Mertens Lammers Huizinga Verhagen van|Rooij van der|Zee Nijland Goossens
Kok Michiels van der|Poel Kamp Biesheuvel Bruins Ploeg Stam van|Gils Bouwman Pieters Arts Rutten Kooistra
van der|Kolk Bussink Vos Haan van|Rossum Kamphuis Pauw Otten Leenders van|Wijngaarden Teunissen Wagenaar
Mulders Bulthuis Heijnen Derks van|Dijken Jager Dam van|Hout van|Bergen Vries Keizer Faber van|Houten
Wiersma Hoekman van|der|Steen Spijker Boom Bakkers Verschuren Ramaker Groot Rademaker van|Gelder Geerts
Sluiter Drost Lubbers van|Daal Beekman Nieuwenhuis Tromp Lambregts van|Leeuwen Broekhuis Visscher Brands
van|Vugt Huijbregts Zijlstra Sijbrands Jansma Hofstra Terpstra de|Groot Huisman Smulders van|Zanten
Renes Wolff Dijkman Coenen Peerdeman Baars Koenen van|Kempen van|Ham Timmer Franssen Bouma Heemskerk""".split()

# The 200 most common Dutch first names, women's and men's, of several generations.
_FIRST_NAMES = """Maria Jan Johannes Cornelis Anna Hendrik Johanna Willem Elisabeth Pieter Cornelia Gerrit Wilhelmina
Jacob Hendrika Adrianus Catharina Petrus Geertruida Dirk Jacoba Theodorus Margaretha Franciscus Helena Jacobus
Adriana Antonius Gerarda Gerardus Aaltje Martinus Grietje Johan Neeltje Hans Elizabeth Peter Geertje Marcel Petronella
Robert Antje Richard Trijntje Thomas Dirkje Marco Jannetje Michel Hilda Martin Gerda Frank Ingrid Paul Monique
Erik Linda Mark Marieke Dennis Sandra Jeroen Esther Sander Nicole Bas Wendy Ruud Petra Kees Anja Ronald Yvonne
Rob Marjolein Stefan Saskia Wouter Ellen Bart Karin Arjen Judith Tim Astrid Daan Sanne Bram Fleur Jesse Noor
Thijs Eva Lucas Zoe Sem Iris Ruben Lieke Joris Femke Niels Lotte Koen Anouk Jasper Lisa Rick Emma Milan Julia
Luuk Sophie Finn Tess Noah Sara Levi Lynn Stijn Fenna Max Mila Ties Evi Gijs Isa Hugo Nina Mees Roos Olivier
Yara Jens Esmee Tom Lara Joost Romy Jelle Floor Wessel Maud Vincent Amber Teun Demi Sven Kim Dylan Naomi Kevin
Mohammed Fatima Ahmed Aisha Mustafa Fatma Yusuf Zeynep Ali Elif Ibrahim Meryem Hamza Salma Omar Nora Youssef Hanna
Rayan Ilse Emre Marloes Mehmet Miriam Ayoub Renate Bilal Chantal Jan-Willem Anne-Marie Hans-Peter Marie-Louise
Gert-Jan Jan-Pieter Inge Wim Henk Gerard Joke Truus Mieke Bep Annemiek Wilma Ria Tineke""".split()
SURNAMES = tuple(dict.fromkeys(_SURNAMES))[:200]
FIRST_NAMES = tuple(dict.fromkeys(_FIRST_NAMES))[:200]


def zipf_weights(count: int) -> list[float]:
	return [1 / rank for rank in range(1, count + 1)]


def namesake_people(count: int, seed: int = 2026) -> list[tuple[str, str, str]]:
	"""``count`` (first name, tussenvoegsel, last name) drawn as real name frequencies fall off."""
	rng = random.Random(seed)
	firsts = rng.choices(FIRST_NAMES, weights=zipf_weights(len(FIRST_NAMES)), k=count)
	lasts = rng.choices(SURNAMES, weights=zipf_weights(len(SURNAMES)), k=count)
	people = []
	for first, surname in zip(firsts, lasts, strict=True):
		infix, _, last = surname.rpartition("|")
		people.append((first, infix.replace("|", " "), last))
	return people


def unique_people(count: int, prefix: str) -> list[tuple[str, str, str]]:
	"""Members who all have a name of their own (the optimistic case)."""
	return [("Bench", "van", f"Lid {prefix}{i:05d}") for i in range(count)]


def share_of_namesakes(people: list[tuple[str, str, str]]) -> float:
	"""The share of members whose full name another member also has."""
	from collections import Counter

	counts = Counter(people)
	return sum(n for n in counts.values() if n > 1) / len(people)
