"""Library: install, upgrade, downgrade refusal, listing, filters, FTS search and fallback."""

from __future__ import annotations

import pytest
from content_fixtures import case_data, make_case

from tutor.core.content import installed_case_count
from tutor.core.content.library import Library, LibraryError, PackInfo
from tutor.core.content.schema import parse_case
from tutor.core.errors import Interrupted


def pack(version: int = 1, pack_id: str = "demo") -> PackInfo:
    return PackInfo(id=pack_id, version=version, title="Demo", signature="trusted")


def swahili_case() -> dict:
    data = case_data("kisa-homa")
    data["languages"] = ["en", "sw"]
    data["tags"] = ["malaria", "child"]
    data["difficulty"] = "advanced"
    data["setting"] = "district_hospital"

    def sw(node: object) -> None:
        if isinstance(node, dict):
            if "en" in node and "fr" in node:
                node.pop("fr")
                node["sw"] = "Homa kali " + str(node["en"]) if isinstance(node["en"], str) else []
            for value in node.values():
                sw(value)
        elif isinstance(node, list):
            for item in node:
                sw(item)

    sw(data)
    data["title"] = {"en": "A child with fever", "sw": "Mtoto mwenye homa"}
    return data


def test_install_list_get_and_count() -> None:
    library = Library()
    assert installed_case_count() == 0
    result = library.install(pack(), [make_case("case-a"), parse_case(swahili_case(), "x")])
    assert (result.added, result.updated, result.removed) == (2, 0, 0)
    assert library.count() == 2 == installed_case_count()
    case = library.get_case("case-a")
    assert case.title["fr"] == "Fièvre chez un jeune agriculteur"
    summaries = library.list_cases("fr")
    by_id = {s.id: s for s in summaries}
    assert by_id["case-a"].title_language == "fr"
    # the Swahili case has no French: the English title, and it says so
    assert by_id["kisa-homa"].title == "A child with fever"
    assert by_id["kisa-homa"].title_language == "en"
    assert by_id["kisa-homa"].languages == ("en", "sw")
    assert [s.id for s in library.list_cases(language="sw")] == ["kisa-homa"]
    assert [s.id for s in library.list_cases(tag="child")] == ["kisa-homa"]
    assert [s.id for s in library.list_cases(difficulty="beginner")] == ["case-a"]
    assert [s.id for s in library.list_cases(setting="district_hospital")] == ["kisa-homa"]
    assert library.tags() == ["adult", "child", "fever", "malaria"]
    with pytest.raises(Exception, match="nope"):
        library.get_case("nope")


def test_search_ranks_titles_ignores_accents_and_is_safe() -> None:
    library = Library()
    library.install(pack(), [make_case("case-a"), parse_case(swahili_case(), "x")])
    # remove_diacritics: "fievre" finds "Fièvre"; French text only in case-a
    hits = library.search("fievre", "fr")
    assert [h.case.id for h in hits] == ["case-a"]
    assert hits[0].matched_language == "fr" and hits[0].case.title_language == "fr"
    assert [h.case.id for h in library.search("mtoto")] == ["kisa-homa"]
    assert library.search("mtoto")[0].matched_language == "sw"
    assert [h.case.id for h in library.search("homa", "sw")] == ["kisa-homa"]
    # prefix on the last word (search as you type)
    assert [h.case.id for h in library.search("agricult", "fr")] == ["case-a"]
    # FTS5 syntax in user input is searched as words, never an error
    for nasty in ['"', "AND", "fever OR", "NEAR(", "title:x", "*", "a^b", "-", "(((", "'; drop"]:
        library.search(nasty)
    assert library.search("   ") == []
    # a title hit outranks a hit deep in the history
    library.install(
        pack(pack_id="other"), [make_case("case-b", title={"en": "Shivering", "fr": "Frissons"})]
    )
    ranked = [h.case.id for h in library.search("shivering", "en")]
    assert ranked[0] == "case-b" and "case-a" in ranked


def test_upgrade_replaces_keeps_ids_and_refuses_downgrade() -> None:
    library = Library()
    library.install(pack(1), [make_case("case-a"), make_case("case-b")])
    newer = make_case("case-a", version=2, tags=["updated"])
    result = library.install(pack(2), [newer, make_case("case-c")])
    assert (result.added, result.updated, result.removed) == (1, 1, 1)
    assert result.previous_version == 1
    assert library.case_ids() == ["case-a", "case-c"]
    assert library.get_case("case-a").version == 2
    assert [h.case.id for h in library.search("updated")] == ["case-a"]
    assert library.search("agriculteur", "fr")  # FTS rows follow the replaced case rows
    before = list(library.db.conn.iterdump())
    with pytest.raises(LibraryError, match="older"):
        library.install(pack(1), [make_case("case-a")])
    with pytest.raises(LibraryError, match="already installed"):
        library.install(pack(2), [make_case("case-a")])
    assert list(library.db.conn.iterdump()) == before
    assert library.pack("demo") is not None and library.pack("demo").version == 2  # type: ignore[union-attr]


def test_failed_install_rolls_back_everything() -> None:
    library = Library()
    library.install(pack(1, "first"), [make_case("case-a")])
    before = list(library.db.conn.iterdump())
    with pytest.raises(LibraryError, match="another pack"):
        library.install(pack(1, "second"), [make_case("case-z"), make_case("case-a")])
    with pytest.raises(LibraryError, match="twice"):
        library.install(pack(1, "second"), [make_case("case-z"), make_case("case-z")])
    with pytest.raises(Interrupted):
        library.install(pack(1, "second"), [make_case("case-z")], cancel=lambda: True)
    assert list(library.db.conn.iterdump()) == before


def test_progress_reports_every_case() -> None:
    seen: list[tuple[int, int]] = []
    Library().install(
        pack(),
        [make_case(f"case-{n}") for n in range(120)],
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen == [(50, 120), (100, 120), (120, 120)]


def test_remove_pack() -> None:
    library = Library()
    library.install(pack(), [make_case("case-a")])
    assert library.remove_pack("demo") == 1
    assert library.count() == 0 and library.search("fever") == [] and library.packs() == []


def test_readers_never_see_a_half_written_import() -> None:
    library = Library()
    library.install(pack(1, "first"), [make_case("case-a")])
    seen: list[int] = []
    cases = [make_case(f"case-{n}") for n in range(100)]
    library.install(pack(), cases, progress=lambda done, total: seen.append(library.count()))
    assert seen == [1, 1]  # mid-import, another reader still sees the old library
    assert library.count() == 101


def arabic_case() -> dict:
    data = case_data("arabic-fever")
    data["languages"] = ["en", "ar"]

    def ar(node: object) -> None:
        if isinstance(node, dict):
            if "en" in node and "fr" in node:
                node.pop("fr")
                node["ar"] = "طفل مع ارتفاع" if isinstance(node["en"], str) else []
            for value in node.values():
                ar(value)
        elif isinstance(node, list):
            for item in node:
                ar(item)

    ar(data)
    data["title"] = {"en": "Fever in a child", "ar": "طفلة نعسانة مع الحمى"}
    return data


def test_arabic_search_ignores_article_and_short_vowels() -> None:
    library = Library()
    library.install(pack(), [parse_case(arabic_case(), "ar"), make_case("case-a")])
    for query in ("حمى", "الحمى", "بالحمى", "حُمّى", "نعسانة"):
        hits = library.search(query, "ar")
        assert [h.case.id for h in hits] == ["arabic-fever"], query
        assert hits[0].matched_language == "ar" and hits[0].case.title == "طفلة نعسانة مع الحمى"


def test_search_with_filters_and_on_very_common_words(monkeypatch: pytest.MonkeyPatch) -> None:
    from tutor.core.content import library as library_module

    library = Library()
    cases = [make_case(f"case-{n}", tags=["tb"] if n % 2 else ["malaria"]) for n in range(6)]
    cases.append(make_case("case-title", title={"en": "Headache and shivering", "fr": "Frissons"}))
    library.install(pack(), cases)
    tb = library.search("shivering", "en", tag="tb")
    assert {h.case.id for h in tb} == {"case-1", "case-3", "case-5"}
    assert library.search("shivering", "en", difficulty="advanced") == []
    ranked = [h.case.id for h in library.search("shivering", "en")]
    # "shivering" is in every case: force the path for words too common to rank
    monkeypatch.setattr(library_module, "RANK_CAP", 3)
    common = library.search("shivering", "en")
    assert common[0].case.id == "case-title"  # the title match still comes first
    assert sorted(h.case.id for h in common) == sorted(ranked)  # and nothing is lost
    assert len(library.search("shivering", "en", limit=2)) == 2
