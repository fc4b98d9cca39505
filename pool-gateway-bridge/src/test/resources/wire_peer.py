"""An independent peer for wire-format tests: jupyter_client's own Session.

Usage: wire_peer.py serialize KEY  (stdin: JSON {"msg_type", "content"}; stdout: JSON list of base64 frames)
       wire_peer.py verify KEY     (stdin: JSON list of base64 frames; stdout: JSON {"msg_type", "content"})
"""
import base64
import json
import sys

from jupyter_client.session import Session


def main():
    mode, key = sys.argv[1], sys.argv[2].encode()
    session = Session(key=key, signature_scheme="hmac-sha256", username="python-peer")
    request = json.load(sys.stdin)
    if mode == "serialize":
        msg = session.msg(request["msg_type"], content=request["content"])
        frames = session.serialize(msg, ident=[b"peer-identity"])
        json.dump([base64.b64encode(f).decode() for f in frames], sys.stdout)
    elif mode == "verify":
        frames = [base64.b64decode(f) for f in request]
        idents, rest = session.feed_identities(frames, copy=True)
        msg = session.deserialize(rest, content=True, copy=True)
        json.dump({"msg_type": msg["header"]["msg_type"], "content": msg["content"]}, sys.stdout)
    else:
        raise SystemExit("unknown mode " + mode)


if __name__ == "__main__":
    main()
