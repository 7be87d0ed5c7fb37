"""Our HTTP handlers, one module per endpoint; each imports :mod:`.base` only."""
