"""The person in the resume: name, contact details, links, location, headline, summary, languages.

Every finder returns the value together with its span in the text, or None: a field that is not in
the text stays empty (no "John Doe" for an empty scan).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from .places import Place, find_place
from .sections import Section

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
PHONE = re.compile(
    # grouped digits with an optional +country code and (area code), a Chinese mobile, a bare long number
    r"(?<![\w+])(?:\+\s?\d{1,3}[\s.\-]?)?(?:\(\d{1,4}\)[\s.\-]?)?\d{1,6}(?:[\s.\-]\d{2,8}){1,5}(?![\w.])"
    r"|(?<!\d)1[3-9]\d{9}(?!\d)"
    r"|(?<![\w+])\+?\d{10,13}(?![\w.])"
)
PHONE_LABEL = re.compile(
    r"(?:phone|mobile|cell|tel(?:ephone)?|contact(?: no| number)?|ph|电话|手机|联系电话|联系方式)\.?"
    r"\s*(?:no\.?|number|#)?\s*(?:\([a-z]\))?\s*[:：]?\s*$",
    re.IGNORECASE,
)
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>()\"'|,;]+"
    r"|(?<![\w@.])(?:[a-z0-9-]+\.)*(?:linkedin\.com|github\.com)/[^\s<>()\"'|,;]+",
    re.IGNORECASE,
)
YEAR_LIKE = re.compile(r"^(?:19|20)\d\d$")
# Latin letters with accents too: "Tomás", "Zoë", "Łukasz", "Ørsted"
NAME_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞĀ-Ž][a-zA-ZÀ-ÖØ-öø-ɏ'’.\-]*|[A-ZÀ-ÖØ-Þ]{2,})$")
CJK_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
NAME_LABEL = re.compile(r"^(?:name|full name|姓名)\s*[:：]\s*(?P<value>.+)$", re.IGNORECASE | re.MULTILINE)
LOCATION_LABEL = re.compile(
    # a label word needs its colon: "Jersey City, NJ" is no "City" label
    r"(?:(?<![\w])(?:location|address|city|residence)\s*[:：]|(?<![\w])based in\s|"
    r"(?:现居(?:住)?地?|居住地|所在地|地址|籍贯|城市)\s*[:：]?)"
    r"\s*(?P<value>[^\n|·•]{2,60})",
    re.IGNORECASE,
)
CITY_REGION = re.compile(
    r"\b[A-Z][a-zA-Z.'\-]+(?: [A-Z][a-zA-Z.'\-]+){0,2}, (?:[A-Z]{2}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)\b"
)
HEADLINE_LABEL = re.compile(
    r"^(?:求职意向|意向职位|期望职位|target role|objective)\s*[:：]\s*(?P<value>.+)$",
    re.IGNORECASE | re.MULTILINE,
)
NOT_A_NAME = {
    "resume",
    "curriculum vitae",
    "cv",
    "profile",
    "summary",
    "contact",
    "简历",
    "个人简历",
    "求职简历",
}
TITLE_WORDS = re.compile(
    r"\b(?:engineer|developer|manager|analyst|scientist|consultant|designer|intern|director|lead|architect|"
    r"administrator|specialist|associate|officer|coordinator|assistant|executive|representative|head|"
    r"president|founder|teacher|nurse|accountant|advocate|lawyer|attorney|programmer|technician|trainer|"
    r"researcher|student|professor|fellow|owner|supervisor|clerk|agent|operator|strategist|writer|editor|"
    r"recruiter|partner|vp|cto|ceo|cfo|sde|sre|qa|tester|auditor|pharmacist|physician|leader|contributor|"
    r"maintainer|member|volunteer|advisor|adviser)s?\b|"
    r"工程师|经理|实习生|分析师|总监|主管|专员|设计师|架构师|顾问|助理|负责人|开发者|程序员|教师|讲师|护士|会计|律师|"
    r"研究员|产品|运营|总裁|创始人|组长|主任|技术员|销售",
    re.IGNORECASE,
)

LANGUAGES = {
    "english": "English",
    "chinese": "Chinese",
    "mandarin": "Mandarin Chinese",
    "cantonese": "Cantonese",
    "spanish": "Spanish",
    "french": "French",
    "german": "German",
    "italian": "Italian",
    "portuguese": "Portuguese",
    "russian": "Russian",
    "japanese": "Japanese",
    "korean": "Korean",
    "arabic": "Arabic",
    "hindi": "Hindi",
    "bengali": "Bengali",
    "bangla": "Bengali",
    "urdu": "Urdu",
    "punjabi": "Punjabi",
    "marathi": "Marathi",
    "tamil": "Tamil",
    "telugu": "Telugu",
    "kannada": "Kannada",
    "malayalam": "Malayalam",
    "gujarati": "Gujarati",
    "odia": "Odia",
    "oriya": "Odia",
    "assamese": "Assamese",
    "dutch": "Dutch",
    "swedish": "Swedish",
    "norwegian": "Norwegian",
    "danish": "Danish",
    "finnish": "Finnish",
    "polish": "Polish",
    "czech": "Czech",
    "turkish": "Turkish",
    "greek": "Greek",
    "hebrew": "Hebrew",
    "persian": "Persian",
    "farsi": "Persian",
    "thai": "Thai",
    "vietnamese": "Vietnamese",
    "indonesian": "Indonesian",
    "malay": "Malay",
    "tagalog": "Tagalog",
    "filipino": "Filipino",
    "swahili": "Swahili",
    "ukrainian": "Ukrainian",
    "romanian": "Romanian",
    "hungarian": "Hungarian",
    "nepali": "Nepali",
    "sinhala": "Sinhala",
    "英语": "English",
    "英文": "English",
    "普通话": "Mandarin Chinese",
    "汉语": "Chinese",
    "中文": "Chinese",
    "粤语": "Cantonese",
    "日语": "Japanese",
    "韩语": "Korean",
    "法语": "French",
    "德语": "German",
    "西班牙语": "Spanish",
    "俄语": "Russian",
    "意大利语": "Italian",
    "葡萄牙语": "Portuguese",
    "阿拉伯语": "Arabic",
    "cet-4": "English",
    "cet-6": "English",
    "cet4": "English",
    "cet6": "English",
    "toefl": "English",
    "ielts": "English",
    "雅思": "English",
    "托福": "English",
    "英语六级": "English",
    "英语四级": "English",
}
LANGUAGE_WORD = re.compile(
    r"(?<![A-Za-z])(" + "|".join(sorted(map(re.escape, LANGUAGES), key=len, reverse=True)) + r")(?![A-Za-z])",
    re.IGNORECASE,
)
LANGUAGE_LINE = re.compile(
    r"^.*(?:languages?(?: known)?|语言(?:能力)?|外语)\s*[:：].*$", re.IGNORECASE | re.MULTILINE
)


@dataclass(frozen=True, slots=True)
class Found:
    value: str
    start: int
    end: int


def _first(pattern: re.Pattern[str], text: str, start: int = 0, end: int | None = None) -> Found | None:
    match = pattern.search(text, start, len(text) if end is None else end)
    return Found(match.group(), match.start(), match.end()) if match else None


# A PDF text layer can put a space before or after a dot of the address ("emily .carter@fastmail.example").
SPLIT_EMAIL = re.compile(
    r"(?<![\w.+-])[\w+-]+(?:\s?\.\s?[\w+-]+)*@[A-Za-z0-9-]+(?:\s?\.\s?[A-Za-z0-9-]+)*\s?\.[A-Za-z]{2,}(?![\w-])"
)


def find_email(text: str) -> Found | None:
    """The first email address; one the text layer split at a dot is read whole (its span covers the gap)."""
    match = SPLIT_EMAIL.search(text)
    if match is None:
        return _first(EMAIL, text)
    return Found(re.sub(r"\s", "", match.group()), match.start(), match.end())


def find_phone(text: str, contact: list[tuple[int, int]], country: str | None = None) -> Found | None:
    """A phone number in the header / contact section or next to a phone label, read by phonenumbers in
    international form or in the national form of `country` (the person's location); dates, years and
    ids are not phones."""
    regions = list(dict.fromkeys(r for r in (country, "US") if r))
    for match in PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if not 7 <= len(digits) <= 15:
            continue
        parts = re.split(r"[\s.\-()+]+", match.group().strip("+ "))
        if sum(1 for p in parts if YEAR_LIKE.match(p)) >= 2 or (
            len(parts) == 1 and YEAR_LIKE.match(parts[0])
        ):
            continue  # "2013 - 2017", "2019.07"
        line_start = text.rfind("\n", 0, match.start()) + 1
        labelled = PHONE_LABEL.search(text[max(line_start, match.start() - 40) : match.start()])
        if not (labelled or any(start <= match.start() < end for start, end in contact)):
            continue
        value = match.group().strip()
        if _possible_phone(value, regions):
            start = match.start() + match.group().index(value)
            return Found(value, start, start + len(value))
    return None


def _possible_phone(value: str, regions: list[str]) -> bool:
    for region in regions:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            return True
    return False


def link_kind(url: str) -> str | None:
    """The kind of a profile link: linkedin, github (None for a repository) or website."""
    lower = url.lower()
    if "linkedin.com/" in lower:
        return "linkedin"
    if "github.com/" in lower:
        return None if lower.split("github.com/", 1)[1].strip("/").count("/") else "github"
    return "website"


def find_links(text: str) -> dict[str, Found]:
    """linkedin, github (the profile, not a repository) and the first other web address (website)."""
    links: dict[str, Found] = {}
    for match in URL.finditer(text):
        url = match.group().rstrip(".")
        kind = link_kind(url)
        if kind and kind not in links:
            links[kind] = Found(url, match.start(), match.start() + len(url))
    return links


def _lines(text: str, start: int, end: int) -> list[Found]:
    found = []
    position = start
    for line in text[start:end].split("\n"):
        stripped = line.strip()
        if stripped:
            offset = position + line.index(stripped)
            found.append(Found(stripped, offset, offset + len(stripped)))
        position += len(line) + 1
    return found


def _contact_like(value: str) -> bool:
    return bool(EMAIL.search(value) or URL.search(value) or re.search(r"\d{3}", value) or "|" in value)


def find_name(text: str, header_end: int) -> Found | None:
    """The person's name: a labelled one, else the first header line that reads like a name."""
    labelled = NAME_LABEL.search(text, 0, max(header_end, min(len(text), 600)))
    if labelled:
        value = labelled.group("value").strip().split("  ")[0].split("|")[0].strip()
        if value and len(value) <= 40:
            return Found(value, labelled.start("value"), labelled.start("value") + len(value))
    for line in _lines(text, 0, header_end)[:6]:
        value = line.value.strip(" -:#*")
        if value.lower() in NOT_A_NAME or _contact_like(value) or TITLE_WORDS.search(value):
            continue
        words = value.split()
        if CJK_NAME.match(value) or (2 <= len(words) <= 4 and all(NAME_WORD.match(w) for w in words)):
            start = text.index(value, line.start)
            return Found(value, start, start + len(value))
    return None


def find_headline(text: str, header_end: int, name: Found | None) -> Found | None:
    """The line under the name that says what the person does ("Senior Data Engineer", "安卓开发工程师")."""
    labelled = HEADLINE_LABEL.search(text)
    if labelled:
        value = labelled.group("value").strip()
        return Found(value, labelled.start("value"), labelled.start("value") + len(value))
    after = name.end if name else 0
    for line in _lines(text, after, header_end)[:3]:
        value = line.value.strip(" -:#*")
        if 3 <= len(value) <= 80 and not _contact_like(value) and TITLE_WORDS.search(value):
            start = text.index(value, line.start)
            return Found(value, start, start + len(value))
    return None


# What stands between the parts of a contact line: bars, bullets, wide gaps, and the icon glyphs of
# rendercv's themes, which pypdf reads as symbols or icon names ("♂¶ap-¶arker-alt", "/linkedin-in").
# A line without separators ("Berlin, Germany lukas@mail.example +49 30 ...") splits before the email,
# phone or address that follows the place.
CONTACT_SEPARATORS = re.compile(
    r"\s*[|·•✉☎]\s*|\s{2,}|\t|\s*\S*[♂¶🔗]\S*\s*|\s/[a-z-]+\s"
    r"|\s(?=[\w.+-]+@)|\s(?=\+?\(?\d{2,})|\s(?=(?:https?://|www\.|linkedin\.com|github\.com))"
)


def find_location(text: str, contact: list[tuple[int, int]]) -> tuple[Found, Place] | None:
    """The person's city: a labelled one, else the first part of a header or contact line that the
    gazetteer knows as a place."""
    labelled = LOCATION_LABEL.search(text, 0, max(contact[0][1], min(len(text), 800)))
    if labelled:
        value = re.split(r"\s{2,}|\s[|·]\s", labelled.group("value").strip())[0].strip(" ,;")
        if value and not EMAIL.search(value):
            start = labelled.start("value")
            return Found(value, start, start + len(value)), find_place(value) or Place(value, None, None)
    for start, end in contact:
        for line in _lines(text, start, end):
            for part in CONTACT_SEPARATORS.split(line.value):
                part = re.sub(r"\s+,", ",", part.strip(" ,;"))
                place = find_place(part) if part and not TITLE_WORDS.search(part) else None
                if place:
                    found = re.compile(r"\s*,\s*".join(map(re.escape, re.split(r"\s*,\s*", part)))).search(
                        text, line.start, line.end
                    )
                    if found:
                        return Found(part, found.start(), found.end()), place
    return None


def find_summary(text: str, sections: list[Section]) -> Found | None:
    for section in sections:
        if section.name == "summary":
            body = text[section.body_start : section.end].strip()
            if body:
                value = body[:1200]
                start = text.index(value, section.body_start)
                return Found(value, start, start + len(value))
    return None


def find_languages(text: str, sections: list[Section]) -> list[Found]:
    """Spoken languages named in a languages section or on a "Languages:" line, as English names."""
    regions = [(s.body_start, s.end) for s in sections if s.name == "languages"]
    regions += [(m.start(), m.end()) for m in LANGUAGE_LINE.finditer(text)]
    found: dict[str, Found] = {}
    for start, end in regions:
        for match in LANGUAGE_WORD.finditer(text, start, end):
            name = LANGUAGES[match.group().lower()]
            found.setdefault(name, Found(name, match.start(), match.end()))
    return sorted(found.values(), key=lambda f: f.start)
