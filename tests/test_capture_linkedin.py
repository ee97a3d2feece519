"""`netcli capture linkedin` (issue 30, item 5) and the rule `congratulate`:
LinkedIn's data export as it writes it (tests/fixtures/chat/linkedin: the
"Notes:" preamble, a draft, a spam message, damaged rows), connections filled
through the one writer, a job change kept and congratulated, invitations
dating a new connection, messages matched by profile URL, idempotence, the
dry run and a foreign file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.conftest import Cli
from tests.test_bad_input import dump

EXPORT = Path(__file__).parent / "fixtures" / "chat" / "linkedin"
AS_OF = "2026-12-10"


def capture(cli: Cli, path: Path, *extra: str, code: int = 0) -> dict[str, Any]:
    result = cli("capture", "linkedin", str(path), "--as-of", AS_OF, *extra, "--json", code=code)
    return json.loads(result.stdout) if code == 0 else {"stderr": result.stderr, "stdout": result.stdout}


def _export(tmp_path: Path) -> Path:
    """The fixture, and Lena: connected on Dec 5 after Ann invited her on Dec 1."""
    folder = shutil.copytree(EXPORT, tmp_path / "Basic_LinkedInDataExport")
    with (folder / "Connections.csv").open("a", encoding="utf-8") as rows:
        rows.write("Lena,Schmidt,https://www.linkedin.com/in/lena-schmidt-42,,Zalando,Staff ML Engineer,05 Dec 2026\n")
    return folder


def test_capture_linkedin_fills_contacts_sees_a_job_change_and_logs_messages(cli: Cli, tmp_path: Path):
    cli("config", "set", "me.names", "Ann Example")
    cli("add", "Keiko Sato", "--on", "2026-10-01", "--org", "Sony", "--role", "Data scientist")
    cli("add", "Ana Lima", "--on", "2026-10-01", "--org", "Ferrous Labs", "--via", "event")
    export = _export(tmp_path)
    dry = capture(cli, export, "--dry-run")
    assert dry["dry_run"] is True and [c["name"] for c in cli.json("list")] == ["Ana Lima", "Keiko Sato"]
    summary = capture(cli, export)
    assert {k: v for k, v in dry.items() if k != "dry_run"} == {k: v for k, v in summary.items() if k != "dry_run"}
    assert (summary["connections"], summary["added"], summary["filled"]) == (4, 2, 2)
    # what the user typed stays: the new job is a conflict, and a job change
    assert [(c["contact"], c["field"], c["here"], c["there"]) for c in summary["conflicts"]] == [
        ("Keiko Sato", "org", "Sony", "Mercari"),
        ("Keiko Sato", "role", "Data scientist", "ML engineer"),
    ]
    assert summary["job_changes"] == [
        {
            "name": "Keiko Sato",
            "org": "Mercari",
            "role": "ML engineer",
            "org_before": "Sony",
            "role_before": "Data scientist",
        }
    ]
    assert (summary["read"], summary["logged"], summary["skipped"]["bad"]) == (3, 2, 2)
    keiko, ana, lena = (cli.json("show", who) for who in ("keiko", "ana", "lena"))
    assert (keiko["org"], keiko["role"], keiko["url"]) == (
        "Sony",
        "Data scientist",
        "https://www.linkedin.com/in/keikosato",
    )
    assert (ana["org"], ana["role"], ana["via"], ana["met_on"]) == (
        "Ferrous Labs",
        "Staff engineer",
        "event",
        "2026-10-01",
    )
    assert (lena["met_on"], lena["via"], lena["met_at"]) == ("2026-12-01", "social", "LinkedIn")  # invited Dec 1
    assert cli.json("show", "farid")["met_on"] == "2025-01-03"
    talks = sorted(
        (i["date"], i["contacts"], i["direction"], i["note"]) for i in cli.json("history") if i["source"] == "linkedin"
    )
    assert talks == [
        ("2026-12-06", ["Keiko Sato"], "both", "LinkedIn"),
        ("2026-12-07", ["Farid Haddad"], "received", "LinkedIn: Rust Meetup organisers"),
    ]
    # congratulate: fires for the job change, lapses after 30 days, done logs a message
    nudges = cli.json("nudge", "--all", "--rule", "congratulate", "--as-of", "2026-12-12")
    assert [n["action"] for n in nudges] == ["Congratulate Keiko Sato on the new role: ML engineer at Mercari."]
    assert "netcli still has Data scientist at Sony" in nudges[0]["reason"]
    assert cli.json("nudge", "--all", "--rule", "congratulate", "--as-of", "2027-01-10") == []
    # the same export again: nothing new, no job change, no second nudge
    again = capture(cli, export)
    assert (again["logged"], again["added"], again["filled"], again["job_changes"]) == (0, 0, 0, [])
    assert again["conflicts"] == summary["conflicts"]  # still listed, still kept
    assert len(cli.json("nudge", "--all", "--rule", "congratulate", "--as-of", "2026-12-12")) == 1


def test_capture_linkedin_refuses_what_is_not_its_export(cli: Cli):
    cli("config", "set", "me.names", "Ann Example")
    chat = Path(__file__).parent / "fixtures" / "chat" / "whatsapp" / "_chat.txt"
    refused = capture(cli, chat, code=1)
    assert "is not LinkedIn's data export" in refused["stderr"] and "capture chat" in refused["stderr"]
    assert refused["stdout"] == "" and cli.json("list") == []


def test_import_linkedin_sees_a_job_change_and_keeps_the_typed_one(cli: Cli, tmp_path: Path):
    cli("add", "Keiko Sato", "--org", "Sony")
    connections = str(EXPORT / "Connections.csv")
    dry = cli.json("import", "linkedin", connections, "--dry-run")
    summary = cli.json("import", "linkedin", connections)
    assert {k: v for k, v in dry.items() if k != "dry_run"} == {k: v for k, v in summary.items() if k != "dry_run"}
    assert [(c["contact"], c["field"], c["here"], c["there"]) for c in summary["conflicts"]] == [
        ("Keiko Sato", "org", "Sony", "Mercari")
    ]
    keiko = cli.json("show", "keiko")
    assert (keiko["org"], keiko["role"]) == ("Sony", "ML engineer")  # the empty role is filled
    nudge = cli.json("nudge", "--all", "--rule", "congratulate")
    assert [n["contact"] for n in nudge] == ["Keiko Sato"] and "was" not in nudge[0]["action"]
    assert "before: Sony" in nudge[0]["reason"] and "netcli still has ML engineer at Sony" in nudge[0]["reason"]
    # read again: the same conflict, no second job change; --prefer file takes LinkedIn's
    assert cli.json("import", "linkedin", connections)["conflicts"] == summary["conflicts"]
    preferred = cli.json("import", "linkedin", connections, "--prefer", "file")
    assert preferred["conflicts"] == [] and cli.json("show", "keiko")["org"] == "Mercari"
    (nudge,) = cli.json("nudge", "--all", "--rule", "congratulate")
    assert "still has" not in nudge["reason"] and nudge["action"].endswith("ML engineer at Mercari.")
    assert len(dump()["job_change"]) == 1


def test_a_profile_beside_a_url_of_their_own_is_kept_as_a_handle_and_finds_their_messages(cli: Cli, tmp_path: Path):
    """Farid's own page is his URL: LinkedIn's profile is a conflict there,
    and fills his handles instead, so that his LinkedIn messages find him."""
    cli("config", "set", "me.names", "Ann Example")
    cli("add", "Farid Haddad", "--on", "2024-10-01", "--email", "farid@acme.example", "--url", "https://farid.example/")
    summary = capture(cli, _export(tmp_path))
    assert [(c["contact"], c["here"], c["there"]) for c in summary["conflicts"] if c["field"] == "url"] == [
        ("Farid Haddad", "https://farid.example/", "https://www.linkedin.com/in/faridh")
    ]
    farid = cli.json("show", "farid")
    assert farid["url"] == "https://farid.example/" and farid["handles"] == ["linkedin:linkedin.com/in/faridh"]
    talks = [i for i in cli.json("history", "farid") if i["source"] == "linkedin"]
    assert [(i["date"], i["direction"]) for i in talks] == [("2026-12-07", "received")]


def test_a_connection_added_beside_someone_of_its_name_is_named_as_a_likely_duplicate(cli: Cli, tmp_path: Path):
    cli("config", "set", "me.names", "Ann Example")
    cli("add", "Keiko Sato", "--email", "keiko@own.example", "--url", "https://keiko.example")
    result = cli("capture", "linkedin", str(_export(tmp_path)), "--as-of", AS_OF, "--json")
    summary = json.loads(result.stdout)
    (duplicate,) = summary["duplicates"]
    assert "Keiko Sato added beside 1 other contact of that name" in duplicate
    assert f"likely duplicate: {duplicate}" in result.stderr
    assert "netcli merge KEEP OTHER" in result.stderr
