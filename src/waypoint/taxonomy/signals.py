from django.dispatch import Signal

# Sent after another taxonomy became the one used for matching (keyword argument: taxonomy).
taxonomy_activated = Signal()
