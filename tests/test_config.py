"""Configuration: defaults, validation naming the key, `config set`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from netcli.config import Config, ConfigError, validate


def test_defaults():
    config = validate({})
    assert config.tiers == {"A": 14, "B": 30, "C": 90, "D": 180}
    assert config.rule("learned_factor") == 1.5 and config.enabled["thank"] is True


@pytest.mark.parametrize(
    "raw,key",
    [
        ({"tiers": {"E": 3}}, "tiers.E"),
        ({"tiers": {"A": "often"}}, "tiers.A"),
        ({"tiers": {"A": 0}}, "tiers.A"),
        ({"rules": {"learned_rhythm": 1}}, "rules.learned_rhythm"),
        ({"rules": {"follow_up_window_days": True}}, "rules.follow_up_window_days"),
        ({"colours": {}}, "colours"),
        ({"enabled": {"hug": True}}, "enabled.hug"),
    ],
)
def test_bad_values_name_the_key(raw, key):
    with pytest.raises(ConfigError) as info:
        validate(raw)
    assert key in str(info.value)


def test_config_file_through_the_cli(cli):
    path = Path(os.environ["NETCLI_CONFIG"])
    assert cli("config", "path").stdout.strip() == str(path)
    assert cli.json("config", "show")["tiers"]["A"] == 14
    cli("config", "set", "tiers.A", "10")
    cli("config", "set", "enabled.give-back", "off")
    shown = cli.json("config", "show")
    assert shown["tiers"]["A"] == 10 and shown["enabled"]["give-back"] is False
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    r = cli("config", "set", "tiers.Z", "3", code=2)
    assert "tiers.Z" in r.stderr
    r = cli("config", "set", "tiers.A", "lots", code=2)  # the command line could not mean it
    assert "tiers.A" in r.stderr
    path.write_text("[tiers]\nA = 'weekly'\n")
    r = cli("list", code=1)
    assert "tiers.A" in r.stderr
    path.write_text("not toml [")
    r = cli("nudge", code=1)
    assert "not valid TOML" in r.stderr
    r = cli("config", "set", "tiers.A", "10", code=1)  # a good value; the file is what is wrong
    assert "cannot read the config file" in r.stderr


def test_tier_cadence_changes_cadence(cli):
    cli("config", "set", "tiers.C", "60")
    assert cli.json("add", "Ana")["cadence_days"] == 60
    assert isinstance(Config().tiers, dict)
