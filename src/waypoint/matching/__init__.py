"""The numeric core: numpy and scipy only, no Django, no I/O."""
