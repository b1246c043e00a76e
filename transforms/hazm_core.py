"""The parts of hazm Tamas uses (normalizer, word tokenizer, verb conjugation, word
list), loaded once per process and without the rest of hazm.

``import hazm`` runs hazm's package ``__init__``, which imports its POS tagger, chunker,
parsers and embeddings, and through them scikit-learn, SciPy, gensim, fastText and
python-crfsuite: about 1.7 s and 140 MB in every worker process, for models that cannot
be downloaded here anyway. This module imports only the submodules it needs, under a
package object whose ``__init__`` is not run, and keeps NLTK (which hazm's tokenizer
subclasses) from pulling in scikit-learn and SciPy: NLTK imports those optionally.
Measured: 0.6 s and 45 MB.

If hazm is already imported in full (a script did ``import hazm``), that is used as is.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
import threading
import types
from pathlib import Path

from core import tables

# Imported by hazm's __init__ or optionally by NLTK; none is needed for normalising.
_OPTIONAL_HEAVY = ("sklearn", "scipy", "gensim", "fasttext", "pycrfsuite")
# Submodules in dependency order, and the names hazm's own modules import from the package.
_SUBMODULES = {
    "hazm.utils": None,  # every public name
    "hazm.stemmer": ("Stemmer",),
    "hazm.word_tokenizer": ("WordTokenizer",),
    "hazm.lemmatizer": ("Lemmatizer", "Conjugation"),
    "hazm.normalizer": ("Normalizer",),
}


@functools.lru_cache(maxsize=1)
def hazm() -> types.ModuleType:
    """A ``hazm`` package object with Normalizer, WordTokenizer, Lemmatizer,
    Conjugation, Stemmer and the hazm.utils functions."""
    loaded = sys.modules.get("hazm")
    if loaded is not None and hasattr(loaded, "POSTagger"):  # the full package is already there
        return loaded
    blocked = [name for name in _OPTIONAL_HEAVY if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # `import name` raises ImportError, which NLTK tolerates
    try:
        spec = importlib.util.find_spec("hazm")
        package = importlib.util.module_from_spec(spec)  # __init__ not executed
        sys.modules["hazm"] = package
        for module_name, names in _SUBMODULES.items():
            module = importlib.import_module(module_name)
            for name in names or [n for n in dir(module) if not n.startswith("_")]:
                setattr(package, name, getattr(module, name))
        return package
    except BaseException:
        sys.modules.pop("hazm", None)
        raise
    finally:
        for name in blocked:  # later code may import them normally
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]


def cached_table(name: str, build):
    """``build()`` for a table derived from hazm's lists, kept on disk between processes
    (core/tables.py) when the flow gave a directory. Keyed on hazm's word and verb lists,
    the hazm code that reads and conjugates them and every module of ours (transforms/,
    core/), as they are on disk when the process first asks for a table: any change to the
    code rebuilds every table, so no table outlives the code that made it (a process that
    outlives a checkout of new code is the one exception, and a run's processes do not)."""
    if tables.directory() is None:
        return build()
    return tables.cached(name, _sources_fingerprint(), build)


@functools.lru_cache(maxsize=1)
def _sources_fingerprint() -> str:
    h = hazm()
    hazm_code = [sys.modules[f"hazm.{m}"].__file__ for m in ("utils", "lemmatizer", "word_tokenizer", "normalizer")]
    ours = Path(__file__).resolve().parents[1]
    code = sorted(p for package in ("core", "transforms") for p in (ours / package).rglob("*.py"))
    return tables.fingerprint([h.default_words, h.default_verbs, *hazm_code, *code])


@functools.lru_cache(maxsize=1)
def verb_forms() -> dict[str, str]:
    """Every conjugated form of hazm's verb list -> its verb: what
    ``hazm.Lemmatizer(joined_verb_parts=False).verbs`` holds, without the second word
    list a Lemmatizer parses (tests/test_cleaning.py checks they are equal)."""
    return cached_table("hazm-verb-forms", _conjugated_verbs)


def _conjugated_verbs() -> dict[str, str]:
    h = hazm()
    with open(h.default_verbs, encoding="utf8") as handle:
        verbs = list(reversed([verb.strip() for verb in handle if verb]))  # as WordTokenizer reads it
    conjugation = h.Conjugation()
    forms = {"است": "#است"}
    for verb in verbs:
        for tense in conjugation.get_all(verb):
            forms[tense] = verb
    return forms


_WORDS_LIST_SWAP = threading.Lock()


@functools.lru_cache(maxsize=1)
def normalizer():
    """The process's hazm Normalizer, with the options the cleaning stage uses. Its verb
    forms come from ``verb_forms`` (hazm's ``seperate_mi`` would build a Lemmatizer for
    them); the step itself runs in transforms/cleaning.py."""
    # hazm's WordTokenizer parses its word list on every construction: it gets ``words()``
    # instead, which may come from disk (hazm reads the list only at construction).
    hazm()
    tokenizer_module = sys.modules["hazm.word_tokenizer"]
    table = words()
    with _WORDS_LIST_SWAP:  # two threads swapping at once would leave the stub in place
        parse, tokenizer_module.words_list = tokenizer_module.words_list, lambda *args, **kwargs: []
        try:
            n = _normalizer()
        finally:
            tokenizer_module.words_list = parse
    n.tokenizer.words = n.words = table
    n.verbs = verb_forms()
    return n


def _normalizer():
    return hazm().Normalizer(
        correct_spacing=True,
        remove_diacritics=True,
        remove_specials_chars=True,
        decrease_repeated_chars=False,  # it deletes letters (سلاممم); news copy has none
        persian_style=False,  # its 1.6 -> 1٫6 rule changes digits; quotes are done by cleaning
        persian_numbers=False,  # keep the text's own digits
        unicodes_replacement=True,
        seperate_mi=False,
    )


@functools.lru_cache(maxsize=1)
def words() -> dict[str, tuple[int, tuple[str, ...]]]:
    """hazm's word list, {word: (count, POS tags)}, as its WordTokenizer holds it (the
    last entry of a word listed twice)."""
    def parse():
        h = hazm()
        # One (count, tags) tuple per distinct entry, not one per word: most words share
        # theirs with others, and a table pickled with them shared is read back shared.
        tag_sets: dict[tuple[str, ...], tuple[str, ...]] = {}
        entries: dict[tuple, tuple] = {}
        table = {}
        for word, count, tags in h.words_list(h.default_words):
            entry = (count, tag_sets.setdefault(tags, tags))
            table[word] = entries.setdefault(entry, entry)
        return table

    return cached_table("hazm-words", parse)


def frequent_words(min_count: int) -> set[str]:
    """Words of hazm's list with an entry counted more than ``min_count`` times. (The
    list has words twice, once with count 0, and ``words()`` keeps the last entry; this
    reads the file line by line as ``hazm.utils.words_list`` parses it, keeping any.)"""
    return cached_table(f"hazm-frequent-{min_count}", functools.partial(_frequent_words, min_count))


def _frequent_words(min_count: int) -> set[str]:
    out = set()
    with open(hazm().default_words, encoding="utf-8") as handle:
        for line in handle:
            item = line.strip().split("\t")
            if len(item) == 3 and int(item[1]) > min_count:
                out.add(item[0])
    return out
