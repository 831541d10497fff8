"""Write ``helpers/sandbox/layer/service_names.py``: each AWS service's IAM namespace and name.

    .venv/bin/python tools/build_service_names.py

From botocore's service models (shipped with botocore): the namespace is the model's
``signingName`` (else its ``endpointPrefix``), which is the IAM service prefix for most
services; the name is ``serviceFullName``. Loading all ~450 models takes seconds, so the sandbox
reads the written table instead (``layer/last_accessed.py``). Rerun after a botocore upgrade.
"""

from __future__ import annotations

import json
from pathlib import Path

import botocore
import botocore.session

TARGET = Path(__file__).parents[1] / "helpers" / "sandbox" / "layer" / "service_names.py"


def service_names() -> dict[str, str]:
    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    names: dict[str, str] = {}
    for service in sorted(session.get_available_services()):
        metadata = loader.load_service_model(service, "service-2")["metadata"]
        namespace = (
            metadata.get("signingName") or metadata.get("endpointPrefix") or service
        ).lower()
        names.setdefault(namespace, metadata.get("serviceFullName") or service)
    return dict(sorted(names.items()))


def main() -> None:
    rows = "\n".join(
        f"    {json.dumps(key)}: {json.dumps(value)}," for key, value in service_names().items()
    )
    version = botocore.__version__
    TARGET.write_text(
        '"""AWS services by IAM namespace (service prefix), with their names: written by\n'
        f"tools/build_service_names.py from botocore {version}'s models; do not edit.\n"
        '"""\n\n'
        f"SERVICE_NAMES: dict[str, str] = {{\n{rows}\n}}\n"
    )
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
