"""Client-side fidelity: each generated request-body model accepts exactly what the vendor schema accepts.

The same property as the IR's (tests/test_fidelity.py), with the model's wire-format
validation (aliases only, as a server would read JSON) in place of the IR validator.
"""

from __future__ import annotations

import importlib
from collections import Counter
from typing import Any

import pydantic
import pytest

from generator.load import pointer as jp
from generator.render.model_bridge import plan_models
from tests.conftest import ROOT, vendor_api
from tests.test_fidelity import INPUT_EXAMPLES, _load, check_agreement

BODY_VENDORS = ("cargo", "skyvern", "langsmith")


@pytest.mark.parametrize("vendor", BODY_VENDORS)
def test_request_body_models_accept_exactly_what_the_schema_accepts(vendor: str) -> None:
    api = vendor_api(vendor)
    models = importlib.import_module(f"{vendor}_client.models")
    plan = plan_models(api)
    document = _load(ROOT / api.source)
    totals: Counter[bool] = Counter()
    for op in api.operations:
        if op.body is None:
            continue
        model = getattr(models, plan.body_class[op.operation_id])
        pointer = jp.join(op.pointer, "requestBody", "content", op.body.media_type, "schema")

        def accepts(payload: Any, model: Any = model) -> bool:
            try:
                model.model_validate(payload, by_alias=True, by_name=False)
            except pydantic.ValidationError:
                return False
            return True

        totals += check_agreement(document, pointer, accepts, INPUT_EXAMPLES)
    assert totals[True] >= 0.10 * sum(totals.values()), totals
    assert totals[False] >= 0.10 * sum(totals.values()), totals


def test_vendors_without_a_body_have_no_body_model() -> None:
    for vendor in ("b3os", "agno"):
        assert all(op.body is None for op in vendor_api(vendor).operations)
        assert plan_models(vendor_api(vendor)).body_class == {}
