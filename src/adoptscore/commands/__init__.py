"""The command line's commands, one module per command group; each is a thin wrapper over the public API."""
