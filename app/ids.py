"""Row ids as the outside world may send them: positive, and small enough for an INTEGER column.

A bigger number is not an id of ours; checked at the edge it is a clear 422, never an overflow
deep in the database driver.
"""

from __future__ import annotations

from typing import Annotated

from annotated_types import Ge, Le

MAX_ID = 2**31 - 1

DbId = Annotated[int, Ge(1), Le(MAX_ID)]


def is_db_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID
