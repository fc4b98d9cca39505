"""Runs code on a kernel with Debian's jupyter_client, as a notebook user would.

Usage: jc_execute.py CODE   (stdin: connection info JSON) -> stdout: JSON {"status", "result", "stdout"}
"""
import json
import sys

from jupyter_client import BlockingKernelClient


def main():
    info = json.load(sys.stdin)
    client = BlockingKernelClient()
    client.load_connection_info(info)
    client.start_channels()
    try:
        client.wait_for_ready(timeout=30)
        reply = client.execute_interactive(sys.argv[1], timeout=30, output_hook=collect)
        json.dump({"status": reply["content"]["status"], "result": RESULT.get("text", ""),
                   "stdout": "".join(STDOUT)}, sys.stdout)
    finally:
        client.stop_channels()


RESULT = {}
STDOUT = []


def collect(msg):
    if msg["msg_type"] == "execute_result":
        RESULT["text"] = msg["content"]["data"].get("text/plain", "")
    elif msg["msg_type"] == "stream":
        STDOUT.append(msg["content"]["text"])


if __name__ == "__main__":
    main()
