"""What every API router shares."""


def field_name(loc) -> str:
    """A field's place in a request as a name: ("items", 0, "name") → `items[0].name`."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else f".{part}" if name else str(part)
    return name
