"""Leadership track pages: thin adapters over the selectors and services the API calls too.
Tracks and the end of selection (tracks.py), each candidacy through selection
(candidacies.py), the council (council.py)."""
