from django.dispatch import Signal

# Sent after an import of veterans was committed (keyword argument: created, the count).
veterans_imported = Signal()
