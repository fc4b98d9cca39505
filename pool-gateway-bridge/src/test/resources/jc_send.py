"""Sends code to a kernel with Debian's jupyter_client and does not wait for it to finish (code that
ends the kernel, as running out of memory does, never replies).

Usage: jc_send.py CODE   (stdin: connection info JSON) -> stdout: the request's msg_id
"""
import json
import sys

from jupyter_client import BlockingKernelClient


def main():
    client = BlockingKernelClient()
    client.load_connection_info(json.load(sys.stdin))
    client.start_channels()
    try:
        client.wait_for_ready(timeout=30)
        sys.stdout.write(client.execute(sys.argv[1]))
    finally:
        client.stop_channels()


if __name__ == "__main__":
    main()
