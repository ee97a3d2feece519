"""`netcli mcp`: the user's network served to their AI assistant over the
Model Context Protocol (stdio), through the official SDK (extra `netcli[mcp]`).

`desk` answers each tool from the same store, pipeline and documents as the
commands do, one short transaction a call, and knows nothing of the
protocol; `server` declares the tools, resources and prompts to the SDK and
turns netcli's errors into tool errors. The command (`cli/mcp.py`) resolves
the database and settings as every command does and hands them over. Nothing
here imports `netcli.cli` or Typer; only `server` imports the SDK.
"""
