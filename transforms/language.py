"""langdetect's detector over a compact table of its profiles.

langdetect keeps, for each of its ~88,000 n-grams, a list with one probability per
language (55), nearly all of them zero. Every process that cleans loads it the first
time a text is mostly not in Arabic script, and it then holds tens of MB for the rest of
the process: in each pool worker (docs/scaling.md). Here each n-gram keeps only its
non-zero probabilities, and the detector gets the full row when it asks for one. The
languages are listed, and the probabilities computed, exactly as langdetect's own
``DetectorFactory.load_profile`` does, so every detection is the same.

A detection draws many n-grams and, for each, multiplies every language's probability
by a factor: langdetect does that in a Python loop over the languages. ``detect`` does
the same products for all languages at once (numpy), in the same order, with
langdetect's own random draws: the same probabilities, bit for bit
(tests/test_language.py; timings in docs/scaling.md).
"""

from __future__ import annotations

import functools
import json
import os
from array import array

import numpy as np
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException


class _SparseRows(dict):
    """n-gram -> its ordinal; the n-gram's non-zero probabilities are
    ``probabilities[starts[ordinal]:starts[ordinal + 1]]``, of the languages at the same
    places in ``languages``. ``rows[ngram]`` is the n-gram's full row, a new list with a
    probability per language, as langdetect's table holds. Only ``in`` and ``[]`` are
    langdetect's table (all its Detector uses); ``get`` and ``values`` give ordinals."""

    __slots__ = ("width", "starts", "languages", "probabilities")

    def __getitem__(self, ngram: str) -> list[float]:
        ordinal = dict.__getitem__(self, ngram)
        row = [0.0] * self.width
        for at in range(self.starts[ordinal], self.starts[ordinal + 1]):
            row[self.languages[at]] = self.probabilities[at]
        return row


class CompactDetectorFactory(DetectorFactory):
    """A ``DetectorFactory`` whose table is ``_SparseRows``; its detectors are
    langdetect's own."""

    def load_profile(self, profile_directory: str) -> None:
        entries = os.listdir(profile_directory)
        names = [name for name in entries if not name.startswith(".")
                 and os.path.isfile(os.path.join(profile_directory, name))]
        if not names:
            raise LangDetectException(ErrorCode.NeedLoadProfileError, "no language profile in " + profile_directory)
        table = _SparseRows()
        ordinals, languages, probabilities = array("I"), array("H"), array("d")
        for index, name in enumerate(names):  # langdetect's order: os.listdir's
            with open(os.path.join(profile_directory, name), encoding="utf-8") as profile:
                data = json.load(profile)
            self.langlist.append(data["name"])
            n_words = data["n_words"]
            for ngram, count in data["freq"].items():
                ordinal = table.setdefault(ngram, len(table))
                if 1 <= len(ngram) <= 3:  # longer ones are in the table with a row of zeros
                    ordinals.append(ordinal)
                    languages.append(index)
                    probabilities.append(1.0 * count / n_words[len(ngram) - 1])
        # Grouped by n-gram, each row's languages in the order they were loaded.
        row_of = np.frombuffer(ordinals, dtype=np.uint32)
        order = np.argsort(row_of, kind="stable")
        counts = np.bincount(row_of, minlength=len(table))
        table.starts = array("I", np.concatenate(([0], np.cumsum(counts))).astype(np.uint32).tobytes())
        table.languages = array("H", np.frombuffer(languages, dtype=np.uint16)[order].tobytes())
        table.probabilities = array("d", np.frombuffer(probabilities, dtype=np.float64)[order].tobytes())
        table.width = len(entries)  # langdetect sizes a row by the directory's entries
        self.word_lang_prob_map = table


@functools.lru_cache(maxsize=1)
def _factory() -> CompactDetectorFactory:
    factory = CompactDetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)  # langdetect is random unless seeded
    return factory


def detect(text: str) -> str:
    """langdetect's ``detect(text)`` (seeded): an ISO 639-1 code; raises
    ``LangDetectException`` on a text with no features."""
    detector = _factory().create()
    detector.append(text)
    _detect_block(detector)
    return detector.detect()


@functools.lru_cache(maxsize=1)
def _table_arrays() -> tuple[_SparseRows, array, np.ndarray, np.ndarray]:
    table = _factory().word_lang_prob_map
    return (table, table.starts, np.frombuffer(table.languages, dtype=np.uint16).astype(np.intp),
            np.frombuffer(table.probabilities, dtype=np.float64))


def _detect_block(detector) -> None:
    """langdetect's ``Detector._detect_block`` (no prior map, not verbose) with its own
    random draws. Each draw multiplies every language's probability by ``weight + p``
    (``p`` the n-gram's probability for it, 0.0 for most); here the text's n-grams' rows
    of ``weight + p`` are made once per trial and a draw multiplies by its row at once.
    The sum that normalises is Python's, as langdetect's."""
    from langdetect.lang_detect_exception import ErrorCode, LangDetectException

    detector.cleaning_text()
    ngrams = detector._extract_ngrams()
    if not ngrams:
        raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
    table, starts, languages, probabilities = _table_arrays()
    row_of = {ngram: k for k, ngram in enumerate(dict.fromkeys(ngrams))}
    n = len(detector.langlist)
    rows = np.zeros((len(row_of), n))
    for ngram, k in row_of.items():
        ordinal = dict.__getitem__(table, ngram)
        at, end = starts[ordinal], starts[ordinal + 1]
        rows[k, languages[at:end]] = probabilities[at:end]
    drawn_rows = [row_of[ngram] for ngram in ngrams]  # the row of each n-gram a draw can pick
    langprob = np.zeros(n)
    rng = detector.random
    rng.seed(detector.seed)
    for _ in range(detector.n_trial):
        prob = np.full(n, 1.0 / n)
        alpha = detector.alpha + rng.gauss(0.0, 1.0) * detector.ALPHA_WIDTH
        factors = rows + alpha / detector.BASE_FREQ
        i = 0
        while True:
            prob *= factors[rng.choice(drawn_rows)]
            if i % 5 == 0:
                prob /= sum(prob.tolist())
                if prob.max() > detector.CONV_THRESHOLD or i >= detector.ITERATION_LIMIT:
                    break
            i += 1
        langprob += prob / detector.n_trial
    detector.langprob = langprob.tolist()
