#!/usr/bin/env python3
"""Writes a `docker save` tarball of about SIZE_MB of text files in LAYERS layers, with a
few planted (fake, assembled at run time) secrets, for timing `leakhound image`.

    python3 benches/archives/make_image.py OUT.tar [SIZE_MB] [LAYERS]
"""
import hashlib
import io
import json
import random
import sys
import tarfile


def tar_bytes(files):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in files:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def main():
    out = sys.argv[1]
    size_mb = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    layers = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    rng = random.Random(7)
    words = [
        "config", "server", "port", "timeout", "value", "name", "enabled", "path",
        "retry", "cache", "user", "host", "level", "debug", "mode", "format",
    ]
    token = "ghp_" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij0123456789") for _ in range(36))
    per_layer = size_mb * (1 << 20) // layers
    layer_tars = []
    for layer in range(layers):
        files, total, index = [], 0, 0
        while total < per_layer:
            lines = [
                f"{rng.choice(words)}_{rng.randrange(1000)} = {rng.choice(words)}{rng.randrange(100000)}"
                for _ in range(2000)
            ]
            data = ("\n".join(lines) + "\n").encode()
            files.append((f"srv/layer{layer}/conf{index}.ini", data))
            total += len(data)
            index += 1
        if layer == 0:
            files.append(("app/.env", f"GITHUB_TOKEN={token}\n".encode()))
        if layer == layers - 1:
            files.append(("app/.wh..env", b""))
        layer_tars.append(tar_bytes(files))
    diff_ids = ["sha256:" + hashlib.sha256(layer).hexdigest() for layer in layer_tars]
    password = "Pl4in" + "Text-" + str(rng.randrange(10**6))
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": {"Env": ["PATH=/usr/bin", f"DB_PASSWORD={password}"]},
        "history": [{"created_by": f"RUN /bin/sh -c export TOKEN={token} # buildkit"}],
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    }).encode()
    names = [f"l{index}/layer.tar" for index in range(layers)]
    manifest = json.dumps([{"Config": "config.json", "RepoTags": ["bench/app:1"], "Layers": names}]).encode()
    with open(out, "wb") as handle:
        handle.write(tar_bytes([("config.json", config)] + list(zip(names, layer_tars)) + [("manifest.json", manifest)]))


if __name__ == "__main__":
    main()
