"""Hostile input found by machine: a Hypothesis state machine drives the real
CLI with random valid and invalid commands and checks, after every step, that
no traceback appeared, the exit code is 0, 1 or 2, and the database holds
exactly what a simple model says it should."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from typer.testing import CliRunner

from netcli.cli import app
from netcli.store import name_key

odd_text = st.one_of(
    st.text(min_size=0, max_size=30),
    st.sampled_from(
        [
            "Robert'); DROP TABLE contact;--",
            "%",
            "_",
            "#1",
            "#999",
            "\\",
            "'",
            '"',
            "   ",
            "🦀",
            "José",
            "JOSÉ",
            "a" * 300,
            "\x00",
            "line\nbreak",
            "--json",
            "-x",
        ]
    ),
)
dates = st.one_of(
    st.sampled_from(
        [
            "today",
            "3 days ago",
            "2026-02-30",
            "yesterday",
            "next friday",
            "0000-00-00",
            "in 999999 years",
            "2026-11-01",
            "blursday",
            "",
        ]
    ),
    st.text(max_size=12),
)
kinds = st.sampled_from(["message", "call", "thanks", "help-given", "hug", "", "met"])
tiers = st.sampled_from(["A", "B", "C", "D", "E", "", "a"])


class NetcliMachine(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        import tempfile
        from pathlib import Path

        self.dir = Path(tempfile.mkdtemp(prefix="netcli-hostile-"))
        self.db = str(self.dir / "n.db")
        self.runner = CliRunner()
        self.people: dict[int, dict] = {}  # id -> {"name", "archived"}
        self.interactions = 0
        from netcli.db import open_database, resolve

        open_database(resolve(self.db)).dispose()  # a database to read from the first step: only writes make one

    def run(self, *args: str):  # type: ignore[no-untyped-def]
        result = self.runner.invoke(
            app, ["--db", self.db, *args], env={"NETCLI_CONFIG": str(self.dir / "c.toml"), "NO_COLOR": "1"}
        )
        assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr, (args, result.stderr)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    @rule(name=odd_text, tier=tiers, when=dates)
    def add(self, name: str, tier: str, when: str) -> None:
        result = self.run("add", name, "--tier", tier, "--on", when, "--json")
        if result.exit_code == 0:
            contact = json.loads(result.stdout)
            assert all(name_key(p["name"]) != name_key(contact["name"]) for p in self.people.values())
            self.people[contact["id"]] = {"name": contact["name"], "archived": False}
            self.interactions += 1

    @rule(who=odd_text, kind=kinds, when=dates, note=odd_text)
    def log(self, who: str, kind: str, when: str, note: str) -> None:
        result = self.run("log", who, "--kind", kind, "--on", when, "--note", note)
        if result.exit_code == 0:
            self.interactions += 1

    @rule(data=st.data())
    def log_existing(self, data) -> None:  # type: ignore[no-untyped-def]
        if not self.people:
            return
        key = data.draw(st.sampled_from(sorted(self.people)))
        result = self.run("log", f"#{key}", "--kind", "call")
        assert result.exit_code == 0, result.stderr
        self.interactions += 1

    @rule(data=st.data())
    def archive_or_back(self, data) -> None:  # type: ignore[no-untyped-def]
        if not self.people:
            return
        key = data.draw(st.sampled_from(sorted(self.people)))
        person = self.people[key]
        result = self.run("unarchive" if person["archived"] else "archive", f"#{key}")
        assert result.exit_code == 0, result.stderr
        person["archived"] = not person["archived"]

    @rule(data=st.data())
    def remove(self, data) -> None:  # type: ignore[no-untyped-def]
        if not self.people:
            return
        key = data.draw(st.sampled_from(sorted(self.people)))
        before = json.loads(self.run("history", f"#{key}", "--json").stdout or "[]")
        solo = sum(1 for h in before if len(h["contacts"]) == 1)
        result = self.run("rm", f"#{key}", "--yes")
        assert result.exit_code == 0, result.stderr
        del self.people[key]
        self.interactions -= solo

    @rule(args=st.lists(odd_text, max_size=4))
    def garbage(self, args: list[str]) -> None:
        self.run(*args)

    @rule(who=odd_text, every=st.sampled_from(["2w", "none", "0d", "3 fortnights", "1y"]), name=odd_text)
    def edit(self, who: str, every: str, name: str) -> None:
        result = self.run("edit", who, "--every", every, "--name", name, "--json")
        if result.exit_code == 0:
            contact = json.loads(result.stdout)
            self.people[contact["id"]]["name"] = contact["name"]

    def _all(self) -> list[dict]:
        active = json.loads(self.run("list", "--json").stdout)
        archived = json.loads(self.run("list", "--archived", "--json").stdout)
        return active + archived

    @invariant()
    def database_matches_the_model(self) -> None:
        if not hasattr(self, "runner"):
            return
        everyone = {c["id"]: {"name": c["name"], "archived": c["archived"]} for c in self._all()}
        assert everyone == self.people
        assert len(json.loads(self.run("history", "--json").stdout)) == self.interactions
        assert self.run("nudge", "--all", "--json").exit_code == 0


NetcliMachine.TestCase.settings = settings(
    max_examples=6,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestHostileCli = NetcliMachine.TestCase
