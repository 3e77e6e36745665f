"""The taxonomy is public reference data for everyone signed in."""

from tests.route_matrix import cells, endpoint, page

ROWS = [
    page("taxonomy:browse", 200, {}, query="q=driver"),
    page("taxonomy:suggest", 200, {}, query="q=водитель"),
    page("taxonomy:occupation", 200, {}, pk="{occupation}"),
    page("taxonomy:skill", 200, {}, pk="{taxonomy_skill}"),
    endpoint("GET", "/taxonomy/search", 200, {}, query="q=driver"),
    endpoint("GET", "/taxonomy/occupations/{occupation_id}", 200, {}),
    endpoint("GET", "/taxonomy/skills/{skill_id}", 200, {}, skill_id="{taxonomy_skill}"),
    endpoint("POST", "/taxonomy/normalize", 200, {}, {"texts": ["сапёр"]}),
    endpoint("POST", "/taxonomy/extract-skills", 200, {}, {"texts": ["first aid"]}),
]

test_matrix = cells(ROWS)
