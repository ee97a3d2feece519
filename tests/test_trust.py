"""What netcli trusts: files from strangers read as regular files of bounded
size (never a FIFO, never a device), settings that are numbers, a database
that appears only when something is written to it, and one home for paths."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netcli.config import DEFAULTS, ConfigError, parse_setting, validate

pytestmark = pytest.mark.one_engine

FLOAT_KEYS = [
    f"{section}.{key}" for section, keys in DEFAULTS.items() for key, value in keys.items() if type(value) is float
]


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "infinity", "-Infinity"])
@pytest.mark.parametrize("key", FLOAT_KEYS)
def test_a_setting_is_never_nan_or_infinite(key: str, text: str):
    assert FLOAT_KEYS  # the registry declares some (rules.learned_factor)
    with pytest.raises(ConfigError) as info:
        parse_setting(key, text)
    assert key in str(info.value)
    section, name = key.split(".")
    with pytest.raises(ConfigError):  # a file may hold them too: TOML has nan and inf
        validate({section: {name: float(text)}})


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_every_number_a_setting_takes_is_finite(value: float):
    for key in FLOAT_KEYS:
        section, name = key.split(".")
        try:
            kept = validate({section: {name: value}}).rules.get(name)
        except ConfigError:
            continue
        assert kept is not None and math.isfinite(kept)


def test_config_set_nan_is_refused_and_every_view_still_works(cli, isolated: Path):
    r = cli("config", "set", "rules.learned_factor", "nan", code=1)
    assert r.stderr.count("\n") == 1 and "rules.learned_factor" in r.stderr and "finite" in r.stderr
    assert not Path(os.environ["NETCLI_CONFIG"]).exists()
    (isolated / "config.toml").write_text("[rules]\nlearned_factor = nan\n")
    r = cli("nudge", code=1)
    assert "rules.learned_factor" in r.stderr and "Traceback" not in r.stderr
