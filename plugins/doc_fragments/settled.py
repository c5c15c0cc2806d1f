# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options and notes that djangoops.stack.template, copy and file share."""

from __future__ import annotations


class ModuleDocFragment:

    DOCUMENTATION = r"""
options:
  owner:
    description: The owner (a name). Left out, the builtin's default.
    type: str
  group:
    description: The group (a name). Left out, the builtin's default.
    type: str
  mode:
    description: The mode, as octal digits (C("0640")); a symbolic mode always goes to the builtin.
    type: raw
notes:
  - Check mode and diff mode are supported (by the builtin, whenever something has to change).
  - An option set to false or left out asks nothing of the box.
"""

    # Options of the builtins that write a file.
    FILE_WRITE = r"""
options:
  validate:
    description: A command that checks the new file (C(%s) is its path) before it replaces the old one.
    type: str
  backup:
    description: Keep the old file with a time stamp when the file changes.
    type: bool
    default: false
"""

    # For the builtins that can act on a link or on its target.
    FOLLOW = r"""
options:
  follow:
    description: Act on a link's target.
    type: bool
    default: true
"""
