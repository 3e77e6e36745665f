# The permission matrix's world (a veteran with a record of every kind), as a fixture here too.
from tests.route_matrix import world  # noqa: F401
