"""An independent implementation of EG's connection-info encryption, with pycryptodome.

Usage: eg_crypto.py keygen PRIVATE_PEM_FILE   -> stdout: public key as EG passes it (base64 DER)
       eg_crypto.py encrypt PUBLIC_KEY        stdin: connection info JSON -> stdout: payload (launcher side)
       eg_crypto.py decrypt PRIVATE_PEM_FILE  stdin: payload -> stdout: connection info JSON (EG side)
"""
import base64
import json
import sys

from Cryptodome.Cipher import AES, PKCS1_v1_5
from Cryptodome.PublicKey import RSA
from Cryptodome.Random import get_random_bytes
from Cryptodome.Util.Padding import pad, unpad


def keygen(path):
    key = RSA.generate(2048)
    with open(path, "wb") as f:
        f.write(key.export_key("PEM"))
    pem = key.publickey().export_key("PEM").decode()
    body = "".join(line for line in pem.splitlines() if "-----" not in line)
    sys.stdout.write(body)


def encrypt(public_key):
    info = sys.stdin.read().encode("utf-8")
    aes_key = get_random_bytes(16)
    sealed_info = AES.new(aes_key, AES.MODE_ECB).encrypt(pad(info, 16))
    rsa = RSA.importKey(base64.b64decode(public_key.encode()))
    sealed_key = PKCS1_v1_5.new(rsa).encrypt(aes_key)
    payload = {
        "version": 1,
        "key": base64.b64encode(sealed_key).decode(),
        "conn_info": base64.b64encode(sealed_info).decode(),
    }
    sys.stdout.write(base64.b64encode(json.dumps(payload).encode("utf-8")).decode())


def decrypt(path):
    with open(path, "rb") as f:
        key = RSA.importKey(f.read())
    payload = json.loads(base64.b64decode(sys.stdin.read()))
    assert set(payload) == {"version", "key", "conn_info"}, sorted(payload)
    assert payload["version"] == 1
    sentinel = object()
    aes_key = PKCS1_v1_5.new(key).decrypt(base64.b64decode(payload["key"]), sentinel)
    assert aes_key is not sentinel and len(aes_key) == 16
    sealed = base64.b64decode(payload["conn_info"])
    assert len(sealed) % 16 == 0
    info = unpad(AES.new(aes_key, AES.MODE_ECB).decrypt(sealed), 16)
    json.loads(info)
    sys.stdout.write(info.decode("utf-8"))


if __name__ == "__main__":
    {"keygen": keygen, "encrypt": encrypt, "decrypt": decrypt}[sys.argv[1]](sys.argv[2])
