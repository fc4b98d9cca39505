"""Checks the launch script's own JSON writer and reader against Python's json module.

Usage: launch_script_selftest.py PATH_TO_kernel-pool-launch.py  -> prints "ok N" or fails.
"""
import importlib.util
import json
import random
import sys

spec = importlib.util.spec_from_file_location("launch", sys.argv[1])
launch = importlib.util.module_from_spec(spec)
spec.loader.exec_module(launch)

rnd = random.Random(7)
alphabet = [chr(c) for c in range(0, 0x250)] + ["\u20ac", "\U0001f600", '"', "\\", "/"]
checked = 0
for _ in range(2000):
    env = {"KERNEL_%d" % i: "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 20)))
           for i in range(rnd.randint(0, 5))}
    request = {"version": 1, "kernel_id": "k", "env": env, "flag": rnd.choice([True, False, None])}
    assert json.loads(launch.json_text(request)) == request, request
    answer = {"result": rnd.choice(["hit", "miss"]), "reason": "".join(rnd.choice(alphabet) for _ in range(10)),
              "claim_ms": rnd.random() * 100, "n": rnd.randint(0, 10**6)}
    parsed = launch.parse_flat_object(json.dumps(answer, indent=rnd.choice([None, 1])))
    assert parsed == {k: (float(v) if isinstance(v, int) and not isinstance(v, bool) else v) for k, v in answer.items()}, (answer, parsed)
    checked += 2
print("ok", checked)
