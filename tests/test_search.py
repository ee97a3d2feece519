"""`netcli search` on both engines: punctuation taken literally, quoted
phrases, and the same snippets whichever engine answers (on PostgreSQL the
`match` used to be empty)."""

from __future__ import annotations

import pytest

from netcli.store.search import Term, has_term, parse_terms, snippet


@pytest.fixture
def network(cli):
    cli("add", "Maria Souza", "--org", "Ferrous Labs", "--topic", "embedded rust")
    cli("add", "Carl Cobb", "--note", "Carries a cup of coffee to every class in the city")
    cli("add", "Helen O'Brien", "--note", "Teaches C++ templates and Node.js; machine learning on weekends")
    cli("log", "carl", "--note", "Compared C# and c++ build times", "--topic", "compilers")
    cli("log", "maria", "--note", "Her machine is learning nothing: a cold start", "--topic", "ml")
    cli("goal", "add", "Learn C++20 modules", "--why", "for the embedded work")
    return cli


def _found(cli, query):
    return {(r["kind"], r["title"].split(" (")[0], r["match"]) for r in cli.json("search", query)}


def test_punctuation_is_taken_literally(network):
    # not every word starting with "c" (Carries, coffee, cup, class, city, Compared, cold...)
    assert _found(network, "c++") == {
        ("contact", "Helen O'Brien", "Teaches [C++] templates and Node.js; machine learning on weekends"),
        ("interaction", f"{_today()} message with Carl Cobb", "Compared C# and [c++] build times compilers"),
        ("goal", "Learn C++20 modules", "for the embedded work"),
    }
    assert _found(network, "c#") == {
        ("interaction", f"{_today()} message with Carl Cobb", "Compared [C#] and c++ build times compilers")
    }
    assert _found(network, "node.js") == {
        ("contact", "Helen O'Brien", "Teaches C++ templates and [Node.js]; machine learning on weekends")
    }
    assert {t for _, t, _ in _found(network, "o'brien")} == {"Helen O'Brien"}
    assert network.json("search", "!!!") == [] and network.json("search", "++c") == []
    network("log", "carl", "--note", "wow!!! 100% great_stuff")
    assert [r["match"] for r in network.json("search", "!!!")] == ["[wow!!!] 100% great_stuff"]
    assert [r["match"] for r in network.json("search", "100%")] == ["wow!!! [100%] great_stuff"]
    assert len(network.json("search", "%")) == 1 and len(network.json("search", "great_stuff")) == 1


def test_a_quoted_phrase_is_searched_as_a_phrase(network):
    assert _found(network, '"machine learning"') == {
        ("contact", "Helen O'Brien", "Teaches C++ templates and Node.js; [machine learning] on weekends")
    }
    # the words alone, in any order, find both
    assert {t for _, t, _ in _found(network, "machine learning")} == {
        "Helen O'Brien",
        f"{_today()} message with Maria Souza",
    }
    assert network.json("search", '"machine learn"') == []  # a phrase is whole words
    assert {t for _, t, _ in _found(network, '"c++ templates" teaches')} == {"Helen O'Brien"}


def test_words_still_match_as_prefixes_and_snippets_mark_them(network):
    assert _found(network, "rust") == {("contact", "Maria Souza", "Ferrous Labs embedded [rust]")}
    assert _found(network, "coff") == {("contact", "Carl Cobb", "…a cup of [coffee] to every class in the city")}
    network("search", '""', code=2)


def _today() -> str:
    from datetime import date

    return date.today().isoformat()


@pytest.mark.one_engine
def test_terms_and_snippets_alone():
    assert parse_terms('  "Machine  Learning" C++ josé') == [
        Term("machine learning", phrase=True),
        Term("c++"),
        Term("jose"),
    ]
    assert parse_terms('"open ended') == [Term("open ended", phrase=True)]
    assert has_term("Café au lait", Term("cafe").pattern()) and not has_term("decaf", Term("caf").pattern())
    assert has_term("C++17", Term("c++").pattern()) and not has_term("objc++", Term("c++").pattern())
    assert not has_term("machine learnings", Term("machine learning", phrase=True).pattern())
    body = " ".join(f"w{n}" for n in range(30)) + " the end"
    assert snippet(body, [Term("end")]) == "…w22 w23 w24 w25 w26 w27 w28 w29 the [end]"
    assert snippet("one (two) three", [Term("two")]) == "one ([two]) three"
    assert snippet("", [Term("x")]) == ""
