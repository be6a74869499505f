"""The ``graph`` command line: thin click commands over the library, one module per family.

- :mod:`.app`: the group, the session every command shares, global options, errors to exit codes;
- :mod:`.options`: the options and helpers several commands share (completion, known ids, writing);
- :mod:`.learner`: ``order``, ``next``, ``done``;
- :mod:`.queries`: ``prereqs``, ``dependents``, ``path``, ``show``, ``list``, ``search``;
- :mod:`.outputs`: ``html``, ``build``, ``export``;
- :mod:`.author`: ``validate``, ``import``, ``init``, ``diff``.

Each command imports what it needs when it runs, so a small answer imports little.
"""

from __future__ import annotations

from . import author, learner, outputs, queries  # noqa: F401  (each registers its commands on main)
from .app import EXIT_CODES, main

__all__ = ["EXIT_CODES", "main"]
