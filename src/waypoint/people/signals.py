from django.dispatch import Signal

# Sent after an import of veterans was committed (keyword argument: created, the count).
veterans_imported = Signal()

# Sent inside the transaction that withdraws a consent (keyword arguments: actor, veteran,
# purpose), so another app stops its own processing for that purpose in the same commit.
consent_withdrawn = Signal()
