"""What the built package must do on any Python it supports, with the standard library alone
(run by test_package.py under `-I -S`, the wheel's contents first on sys.path): import, pass every
conformance vector given as argv[1], and handle a signed delivery once through the receiver.
Prints the version and any module it loaded from outside the standard library."""

import base64
import json
import sys

import isao_webhooks
from isao_webhooks import Receiver, VerificationError, verify
from isao_webhooks.testing import signed_delivery

passed = 0
for case in json.load(open(sys.argv[1], encoding="utf-8"))["cases"]:
    expected = case["expected"]
    try:
        result = verify(base64.b64decode(case["body"]["base64"]), case["headers"], secrets=case["secrets"], now=case["now"])
        got = {"ok": True, "events": [[e["name"], e["id"], e["record"]] for e in result.events]}
        want = {"ok": True, "events": [[e["name"], e["id"], e["record"]] for e in expected["events"]]}
    except VerificationError as error:
        got, want = {"ok": False, "problem": error.kind}, {"ok": False, "problem": expected.get("problem")}
    assert got == want, case["name"]
    passed += 1

receiver = Receiver(secrets="s")
runs = []
receiver.on("deal.won", lambda event: runs.append(event["id"]))
sent = signed_delivery("deal.won", secret="s")
answers = [receiver.receive(sent.body, sent.headers).status for _ in range(2)]
assert answers == [200, 200] and runs == [sent.event_id], (answers, runs)

stdlib = getattr(sys, "stdlib_module_names", None)
outside = sorted(
    name for name in sys.modules
    if stdlib is not None and name.split(".")[0] not in stdlib and name.split(".")[0] not in ("isao_webhooks", "__main__")
)
print(json.dumps({"python": sys.version.split()[0], "vectors": passed, "file": isao_webhooks.__file__, "outside": outside}))
