"""`netcli nudge`, done, snooze and dismiss through the CLI, dates relative to today."""

from __future__ import annotations

NUDGE_KEYS = {"id", "rule", "action", "contact", "contact_id", "due", "priority", "reason"}


def rules_by_person(cli, *args):
    return {(n["contact"], n["rule"]) for n in cli.json("nudge", "--all", *args)}


def scenario(cli):
    cli("add", "New Met", "--on", "3 days ago")
    cli("add", "Quiet A", "--tier", "A", "--on", "60 days ago")
    cli("log", "quiet a", "--on", "20 days ago")
    cli("add", "Fine B", "--tier", "B", "--on", "60 days ago")
    cli("log", "fine b", "--on", "10 days ago")
    cli("add", "Own Cadence", "--every", "5d", "--on", "30 days ago")
    cli("log", "own", "--on", "6 days ago")
    cli("add", "Weekly", "--on", "200 days ago")
    for weeks in range(4, 12):
        cli("log", "weekly", "--on", f"{weeks * 7} days ago")
    cli("add", "Helper", "--on", "50 days ago")
    cli("log", "helper", "--kind", "help-received", "--on", "4 days ago")
    cli("add", "Thanked", "--on", "50 days ago")
    cli("log", "thanked", "--kind", "help-received", "--on", "4 days ago")
    cli("log", "thanked", "--kind", "thanks", "--on", "3 days ago")
    cli("add", "Taker", "--on", "300 days ago")
    for days in (100, 80, 40):
        cli("log", "taker", "--kind", "help-received", "--on", f"{days} days ago")
        cli("log", "taker", "--kind", "thanks", "--on", f"{days} days ago")
    cli("add", "Gone", "--tier", "A", "--on", "300 days ago")
    cli("archive", "gone")


def test_each_rule_fires_as_the_contract_says(cli):
    scenario(cli)
    found = rules_by_person(cli)
    assert ("New Met", "follow-up") in found
    assert ("New Met", "reconnect") not in found
    assert ("Quiet A", "reconnect") in found
    assert not any(name == "Fine B" for name, _ in found)
    assert ("Own Cadence", "reconnect") in found
    assert ("Weekly", "reconnect") in found
    assert ("Helper", "thank") in found and ("Thanked", "thank") not in found
    assert ("Taker", "give-back") in found
    assert not any(name == "Gone" for name, _ in found)
    weekly = next(n for n in cli.json("nudge", "--all") if n["contact"] == "Weekly")
    assert "your rhythm is every 11 days (learned: you usually talk every 7 days); it has been 28" in weekly["reason"]
    for n in cli.json("nudge", "--all"):
        assert set(n) == NUDGE_KEYS
    # a month earlier, before the silence and the help
    earlier = rules_by_person(cli, "--as-of", "25 days ago")
    assert ("Helper", "thank") not in earlier and ("Weekly", "reconnect") not in earlier
    # the follow-up lapses after 14 days and reconnect takes over at the tier's cadence
    assert ("New Met", "follow-up") not in rules_by_person(cli, "--as-of", "in 12 days")
    assert ("New Met", "reconnect") in rules_by_person(cli, "--as-of", "in 90 days")


def test_limit_rule_filter_explain_plain(cli):
    scenario(cli)
    everything = cli.json("nudge", "--all")
    assert len(everything) > 3
    assert len(cli.json("nudge", "--limit", "2")) == 2
    r = cli("nudge", "--limit", "2")
    assert f"and {len(everything) - 2} more" in r.stderr
    assert {n["rule"] for n in cli.json("nudge", "--rule", "thank")} == {"thank"}
    explained = cli.json("nudge", "--rule", "reconnect", "--explain")
    assert all("cadence_days" in n["inputs"] for n in explained)
    assert "inputs:" in cli("nudge", "--explain").stdout
    plain = cli("nudge", "--plain", "--all").stdout.strip().splitlines()
    assert len(plain) == len(everything)
    assert plain[0].startswith(everything[0]["id"] + " " + everything[0]["rule"])
    priorities = [n["priority"] for n in everything]
    assert priorities == sorted(priorities, reverse=True)
    assert [n["id"] for n in cli.json("nudge", "--all")] == [n["id"] for n in everything]


def test_done_logs_what_the_nudge_asks_for(cli):
    scenario(cli)
    thank = next(n for n in cli.json("nudge", "--all") if n["rule"] == "thank")
    result = cli.json("done", thank["id"], "--note", "card")
    assert result["logged"]["kind"] == "thanks" and result["logged"]["contacts"] == ["Helper"]
    assert thank["id"] not in {n["id"] for n in cli.json("nudge", "--all")}
    assert cli.json("history", "helper", "--limit", "1")[0]["note"] == "card"
    follow = next(n for n in cli.json("nudge", "--all") if n["rule"] == "follow-up")
    cli("done", follow["id"])
    assert cli.json("history", "new met", "--limit", "1")[0]["kind"] == "message"
    assert ("New Met", "follow-up") not in rules_by_person(cli)
    assert cli("done", follow["id"]).stderr.startswith("already cleared: you logged message with New Met today")


def test_snooze_and_dismiss(cli):
    scenario(cli)
    quiet = next(n for n in cli.json("nudge", "--all") if n["contact"] == "Quiet A")
    cli("snooze", quiet["id"], "--for", "3d")
    assert quiet["id"] not in {n["id"] for n in cli.json("nudge", "--all")}
    assert quiet["id"] not in {n["id"] for n in cli.json("nudge", "--all", "--as-of", "in 2 days")}
    assert quiet["id"] in {n["id"] for n in cli.json("nudge", "--all", "--as-of", "in 3 days")}
    weekly = next(n for n in cli.json("nudge", "--all") if n["contact"] == "Weekly")
    cli("dismiss", weekly["id"])
    assert weekly["id"] not in {n["id"] for n in cli.json("nudge", "--all", "--as-of", "in 30 days")}
    # a new interaction starts a new cycle: the nudge comes back later under a new id
    cli("log", "weekly", "--on", "yesterday")
    again = [n for n in cli.json("nudge", "--all", "--as-of", "in 30 days") if n["contact"] == "Weekly"]
    assert again and again[0]["id"] != weekly["id"]


def test_empty_network(cli):
    assert cli.json("nudge") == []
    assert "Nothing to do" in cli("nudge").stderr


def test_a_reconnect_names_the_persons_topics_wherever_it_is_shown(cli):
    """Everyone is ranked without their topics; what is shown is worded with them."""
    cli("add", "Rita Quiet", "--tier", "A", "--topic", "rust", "--topic", "sre", "--on", "90 days ago")
    cli("add", "Olaf Quiet", "--tier", "B", "--on", "90 days ago")
    wanted = "Reconnect with Rita Quiet (ask about rust, sre)."
    shown = {n["contact"]: n["action"] for n in cli.json("nudge")}
    assert shown["Rita Quiet"] == wanted and shown["Olaf Quiet"] == "Reconnect with Olaf Quiet."
    assert {n["contact"]: n["action"] for n in cli.json("nudge", "--all")} == shown
    assert wanted in cli("nudge", "--plain").stdout
    assert wanted in cli("report", "--format", "md").stdout
    assert wanted in " ".join(cli().stdout.split())  # the dashboard
