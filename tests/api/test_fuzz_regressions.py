"""Each of these answered 500 to a request schemathesis made (tests/api/test_schemathesis.py)."""

import json

from tests.test_permission_matrix import token_client


def test_a_json_body_under_a_form_content_type_is_read_as_before(coordinator):
    response = token_client(coordinator).post(
        "/api/v1/wellbeing/score",
        json.dumps({"instrument": "phq2", "answers": [1, 1]}),
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.content
