"""Text normalisation, comparison keys and legacy Vietnamese encoding (TCVN3, VNI) repair."""

from __future__ import annotations

import re
import unicodedata

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASH_TABLE = str.maketrans({d: "-" for d in DASHES})
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")


def normalize_text(s: str) -> str:
    """NFC, one space for every whitespace run (newlines included), stripped; dashes are kept."""
    if not s:
        return ""
    s = unicodedata.normalize("NFC", s)
    s = _INVISIBLE.sub("", s)
    return _SPACES.sub(" ", s).strip()


def _fold_char(c: str) -> str:
    """Fold one character to one character, so folded text keeps the original offsets."""
    if c in "đĐ":
        return "d"
    if c in DASHES:
        return "-"
    if c.isspace():
        return " "
    base = unicodedata.normalize("NFD", c)[0]
    if unicodedata.combining(base):
        return base
    low = base.lower()
    return low[0] if low else base


def fold_aligned(s: str) -> str:
    """Fold character by character: same length as s, so a match span maps back to the original."""
    return "".join(_fold_char(c) for c in s)


def fold(s: str) -> str:
    """Comparison key: no diacritics, "đ" -> "d", lowercase, one kind of dash, single spaces."""
    if not s:
        return ""
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("đ", "d").replace("Đ", "d").lower().translate(_DASH_TABLE)
    s = _INVISIBLE.sub("", s)
    return _SPACES.sub(" ", s).strip()


# --- Legacy encodings -------------------------------------------------------------------------
# TCVN3 (TCVN 5712 VN3, the ABC keyboard with .VnTime fonts): one byte per letter. Upper-case
# toned letters do not exist in VN3 (the all-caps .VnTimeH font reuses the lower-case codes).
_TCVN3_PAIRS = (
    "µà ¸á ¶ả ·ã ¹ạ ¨ă »ằ ¾ắ ¼ẳ ½ẵ Æặ ©â Çầ Êấ Èẩ Éẫ Ëậ ®đ "
    "Ìè Ðé Îẻ Ïẽ Ñẹ ªê Òề Õế Óể Ôễ Öệ ×ì Ýí Øỉ Üĩ Þị "
    "ßò ãó áỏ âõ äọ «ô åồ èố æổ çỗ éộ ¬ơ êờ íớ ëở ìỡ îợ "
    "ïù óú ñủ òũ ôụ \xadư õừ øứ öử ÷ữ ùự úỳ ýý ûỷ üỹ þỵ "
    "¡Ă ¢Â §Đ £Ê ¤Ô ¥Ơ ¦Ư"
)
TCVN3_TO_UNICODE: dict[str, str] = {p[0]: p[1] for p in _TCVN3_PAIRS.split(" ")}

# VNI (VNI-Times): a base letter followed by a mark byte; a few letters are single bytes.
_VNI_MARKS = {
    "a": {"ø": "à", "ù": "á", "û": "ả", "õ": "ã", "ï": "ạ",
          "ê": "ă", "è": "ằ", "é": "ắ", "ú": "ẳ", "ü": "ẵ", "ë": "ặ",
          "â": "â", "à": "ầ", "á": "ấ", "å": "ẩ", "ã": "ẫ", "ä": "ậ"},
    "e": {"ø": "è", "ù": "é", "û": "ẻ", "õ": "ẽ", "ï": "ẹ",
          "â": "ê", "à": "ề", "á": "ế", "å": "ể", "ã": "ễ", "ä": "ệ"},
    "o": {"ø": "ò", "ù": "ó", "û": "ỏ", "õ": "õ", "ï": "ọ",
          "â": "ô", "à": "ồ", "á": "ố", "å": "ổ", "ã": "ỗ", "ä": "ộ"},
    "ô": {"ø": "ờ", "ù": "ớ", "û": "ở", "õ": "ỡ", "ï": "ợ"},
    "u": {"ø": "ù", "ù": "ú", "û": "ủ", "õ": "ũ", "ï": "ụ"},
    "ö": {"ø": "ừ", "ù": "ứ", "û": "ử", "õ": "ữ", "ï": "ự"},
    "y": {"ø": "ỳ", "ù": "ý", "û": "ỷ", "õ": "ỹ"},
}
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ", "ì": "ì", "í": "í"}


def _build_vni() -> dict[str, str]:
    table: dict[str, str] = {}
    for base, marks in _VNI_MARKS.items():
        for mark, letter in marks.items():
            for b, m, out in ((base, mark, letter), (base.upper(), mark.upper(), letter.upper())):
                table[b + m] = out
            table[base.upper() + mark] = letter.upper()  # mixed case typed as "Eá"
    for byte, letter in _VNI_SINGLE.items():
        table[byte] = letter
        table[byte.upper()] = letter.upper()
    return table


VNI_TO_UNICODE: dict[str, str] = _build_vni()
_VNI_RE = re.compile("|".join(sorted(map(re.escape, VNI_TO_UNICODE), key=len, reverse=True)))
LEGACY_ENCODINGS = ("TCVN3", "VNI")


def convert_legacy(s: str, encoding: str) -> str:
    """Turn text typed in TCVN3 or VNI (and read as Latin-1/cp1252) back into Unicode."""
    if encoding == "TCVN3":
        out = "".join(TCVN3_TO_UNICODE.get(c, c) for c in s)
    elif encoding == "VNI":
        out = _VNI_RE.sub(lambda m: VNI_TO_UNICODE[m.group(0)], s)
    else:
        raise ValueError(f"unknown legacy encoding: {encoding!r}")
    return unicodedata.normalize("NFC", out)


# A Vietnamese syllable: optional initial, a vowel nucleus, optional final, at most one tone.
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_NUCLEI_TEXT = (
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iêu iu oa oă oai oao oay oe oeo oi ôi "
    "ơi oo ua uâ uây uê ui uô uôi uơ ưa ưi ươ ươi ươu ưu uy uya uyê uyu yê yêu"
)
_NUCLEI = frozenset(_NUCLEI_TEXT.split())
_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    r"([aăâeêioôơuưy]{1,3})(ng|nh|ch|[cmnpt])?"
)


def _is_syllable(word: str) -> bool:
    """True when word reads as one Vietnamese syllable (used to judge a legacy conversion)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for c in decomposed if c in _TONE_MARKS)
    if tones > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    m = _SYLLABLE.fullmatch(bare)
    if not m:
        return False
    return m.group(2) in _NUCLEI


_WORD_EDGE = "\"'()[]{}.,;:!?“”‘’…"
_UNICODE_VIETNAMESE = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1"
                                 "\u01af\u01b0\u1ea0-\u1ef9]")


def _candidate_words(s: str) -> list[str]:
    words = (w.strip(_WORD_EDGE) for w in s.split())
    return [w for w in words if len(w) >= 2 and any(ord(c) > 127 for c in w)]


def detect_legacy_encoding(s: str) -> str | None:
    """Name the legacy encoding ("TCVN3" or "VNI") the text was typed in, or None for Unicode.

    A conversion must turn non-syllables into Vietnamese syllables clearly more often than the
    text already holds Unicode Vietnamese letters; plain ASCII and Unicode text never qualify.
    """
    if not s:
        return None
    words = _candidate_words(unicodedata.normalize("NFC", s))
    if not words:
        return None
    unicode_evidence = len(_UNICODE_VIETNAMESE.findall(s))
    best, best_gain = None, 0
    for encoding in LEGACY_ENCODINGS:
        gained = lost = 0
        for w in words:
            before, after = _is_syllable(w), _is_syllable(convert_legacy(w, encoding))
            gained += after and not before
            lost += before and not after
        gain = gained - lost
        if gain > best_gain:
            best, best_gain = encoding, gain
    if best is None or best_gain <= unicode_evidence or best_gain * 3 < len(words):
        return None
    return best


def fix_legacy_text(s: str) -> tuple[str, str | None]:
    """Convert s when it was typed in a legacy encoding; return (text, encoding name or None)."""
    encoding = detect_legacy_encoding(s)
    if encoding is None:
        return s, None
    return convert_legacy(s, encoding), encoding
