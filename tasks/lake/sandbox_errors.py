"""What the sandbox says when it refuses (see `sandbox` for what it refuses and why)."""

HINT = (
    "`vnnews sql` reads the published lake and nothing else. To join your own files or "
    "export results, name the folder: --allow-path DIR (Python: allow_paths=[DIR])."
)


class Refused(PermissionError):
    """A statement that would reach outside the lake, refused before it ran."""
