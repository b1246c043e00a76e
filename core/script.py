"""The Persian script's tables, in one place: letter forms, marks, invisible characters,
letter classes and digits.

Every user builds its own ``str.maketrans`` (or regex) from these: what a matching form
folds differs by use, so the tables are the pieces and each use says which it takes.
tests/test_script.py fails when a letter or digit table is written outside ``core/``.
"""

from __future__ import annotations

import re

# ------------------------------------------------------------ invisible characters

ZWNJ = "\u200c"  # zero-width non-joiner: the half-space inside a Persian word (می‌رود)
ZWJ = "\u200d"
TATWEEL = "\u0640"  # kashida: stretches a joined letter, carries no text
LRM = "\u200e"
RLM = "\u200f"
BIDI_EMBEDDINGS = "\u202a\u202b\u202c"  # LRE, RLE, PDF
BOM = "\ufeff"

# ------------------------------------------------------------------ letter forms

# Arabic letters an Arabic keyboard types where Persian has its own: ي ى -> ی, ك -> ک, ة -> ه.
ARABIC_FORMS = {"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه"}

# What a matching form folds besides: the hamza seats and madda to their bare letter
# (رئیس = رییس, مؤثر = موثر, آ = ا) and the other shapes of heh (ۀ ہ ھ -> ه).
LETTER_FOLDS = {
    **ARABIC_FORMS,
    "ئ": "ی", "ۀ": "ه", "ہ": "ه", "ھ": "ه",
    "أ": "ا", "إ": "ا", "ٱ": "ا", "آ": "ا", "ؤ": "و",
}

# The same letters as Pashto, Kurdish, Urdu, Sindhi and Kashmiri write them.
REGIONAL_FORMS = {
    "\u06d0": "ی", "\u06cd": "ی", "\u06ce": "ی", "\u06d2": "ی",  # ې ۍ ێ ے
    "\u06aa": "ک",  # ڪ
    "\u06d5": "ه",  # ە
    "\u0672": "ا", "\u0673": "ا",  # ٲ ٳ
}

# ------------------------------------------------------------------------- marks

# Diacritics: tanwin, short vowels, shadda, sukun, the hamza and madda marks, and the
# superscript alef.
HARAKAT = "".join(map(chr, range(0x064B, 0x0660))) + "\u0670"
# Quranic annotation: small high letters, pause and sajdah signs.
QURANIC_MARKS = "".join(map(chr, range(0x06D6, 0x06EE)))

# ----------------------------------------------------------------- letter classes

# Persian/Arabic letters (no digits, no diacritics, no punctuation, no ZWNJ), as the
# inside of a regex character class: f"[{LETTERS}]".
LETTERS = "\u0621-\u063a\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc"
LETTER_SET = frozenset(chr(c) for c in range(0x0600, 0x0700) if re.match(f"[{LETTERS}]", chr(c)))

# The Arabic-script part of extraction's token class (transforms/extraction/): drawn
# differently from LETTERS at a few rare code points (it takes tatweel, leaves out ە);
# extraction's lexicon patterns and tokens are built on it.
TOKEN_LETTERS = "\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff"

# ------------------------------------------------------------------------ digits

ASCII_DIGITS = "0123456789"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
TO_ASCII_DIGITS = {d: a for digits in (PERSIAN_DIGITS, ARABIC_INDIC_DIGITS) for d, a in zip(digits, ASCII_DIGITS)}
TO_PERSIAN_DIGITS = dict(zip(ASCII_DIGITS, PERSIAN_DIGITS))
