#!/usr/bin/env bash
# build-images.sh OUT_DIR TARGET... : builds images from Debian packages without a container
# engine (mmdebstrap + umoci, as root), each as a one-layer OCI archive OUT_DIR/TARGET.oci.tar,
# cached (rebuilt only when its inputs change). Prints the archives' paths on stdout, one per line.
#
# TARGET
#   sidecar             the kernel pool sidecar, the same image as ./Dockerfile: Debian bookworm's
#                       openjdk-17-jre-headless, /opt/kernel-pool/kernel-pool.jar, user 10001,
#                       ENTRYPOINT java -jar, CMD serve --config /etc/kernel-pool/sidecar.yaml
#   enterprise-gateway  Enterprise Gateway 3.3.0 from its source (EG_HOME) on Debian's Python,
#                       laid out like elyra/enterprise-gateway:3.3.0 (user jovyan 1000:100, EG's
#                       python_kubernetes kernelspec, CMD start-enterprise-gateway.sh): for sites
#                       (and test machines) that cannot pull elyra's image
#   kernel-py           the kernel image EG's Kubernetes kernelspecs (and the pool's) run, laid out
#                       like elyra/kernel-py:3.3.0: Debian's python3 and ipykernel, EG's
#                       bootstrap-kernel.sh as CMD and launch_ipykernel.py under
#                       /usr/local/bin/kernel-launchers, user jovyan 1000:100; add a site's
#                       libraries with KERNEL_EXTRA_PACKAGES (e.g. python3-numpy python3-pandas)
#
# Env: JAR         the executable jar (default pool-gateway-bridge/target/kernel-pool.jar)
#      EG_HOME     folder holding enterprise_gateway-3.3.0/ and jupyter_client-6.1.12/
#                  (default ../shared/vendor beside the repository)
#      SIDECAR_IMAGE, EG_IMAGE   references to tag (default kernel-pool/kernel-pool:0.1.0,
#                  elyra/enterprise-gateway:3.3.0)
#      KERNEL_IMAGE  the kernel image's reference, and the one EG's python_kubernetes kernelspec
#                  names (default elyra/kernel-py:3.3.0)
#      KERNEL_EXTRA_PACKAGES  Debian packages added to the kernel image (default none)
# Needs: mmdebstrap, umoci, python3 (Debian's; ../shared/node/install-node-deps.sh installs them).
set -euo pipefail
USAGE="usage: build-images.sh OUT_DIR sidecar|enterprise-gateway|kernel-py..."
OUT=${1:?$USAGE}; shift
[ $# -gt 0 ] || { echo "$USAGE" >&2; exit 2; }
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
REPO=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${JAR:-$REPO/pool-gateway-bridge/target/kernel-pool.jar}
EG_HOME=${EG_HOME:-$REPO/../shared/vendor}
SIDECAR_IMAGE=${SIDECAR_IMAGE:-kernel-pool/kernel-pool:0.1.0}
EG_IMAGE=${EG_IMAGE:-elyra/enterprise-gateway:3.3.0}
KERNEL_IMAGE=${KERNEL_IMAGE:-elyra/kernel-py:3.3.0}
# The packages of each image (the Dockerfile's runtime stage installs the same: a test compares them)
SIDECAR_PACKAGES="openjdk-17-jre-headless"
EG_PACKAGES="python3 python-is-python3 python3-jupyter-server python3-ipykernel python3-pycryptodome python3-zmq
  python3-kubernetes python3-paramiko python3-pexpect python3-watchdog python3-distutils python3-jinja2 python3-requests
  python3-websocket python3-yaml bash"
KERNEL_PACKAGES="python3 python-is-python3 python3-ipykernel python3-jupyter-client python3-pycryptodome python3-zmq bash
  ${KERNEL_EXTRA_PACKAGES:-}"
exec 3>&1 1>&2                       # stdout (fd 3) carries only the result lines
log() { echo "[build-images] $*" >&2; }
W=$OUT/work; mkdir -p "$W"
SRCS=$(ls /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1); SRCS=${SRCS:-/etc/apt/sources.list}

# rootfs NAME PACKAGES HOOK... : a Debian bookworm rootfs tarball $W/NAME-rootfs.tar (apt sources =
# this system's; merged /usr without the usrmerge package; no docs, man pages or apt lists; the JRE's
# postinst needs /usr/share/man/man1 to exist for its update-alternatives links)
rootfs() {
  local name=$1 packages=$2; shift 2
  local hooks=()
  for h in "$@"; do hooks+=(--customize-hook="$h"); done
  mmdebstrap --quiet --variant=minbase --include="$(echo $packages | tr ' ' ',')" \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --essential-hook='mkdir -p "$1"/usr/share/man/man1' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-include=/usr/share/locale/locale.alias' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*' \
    "${hooks[@]}" bookworm "$W/$name-rootfs.tar" "$SRCS" >&2
}

# oci_archive NAME REF CONFIG_ARGS... : $W/NAME-rootfs.tar as a one-layer OCI archive $OUT/NAME.oci.tar,
# named REF in its index (the tag for skopeo's oci-archive:FILE:TAG, the full reference for ctr import)
oci_archive() {
  local name=$1 ref=$2; shift 2
  rm -rf "$W/$name-layout"
  umoci init --layout "$W/$name-layout"
  umoci new --image "$W/$name-layout:img"
  umoci raw add-layer --image "$W/$name-layout:img" "$W/$name-rootfs.tar"
  umoci config --image "$W/$name-layout:img" --author kernel-pool --os linux --architecture amd64 "$@"
  python3 - "$W/$name-layout" "$ref" <<'PY'
import json, sys
path, ref = sys.argv[1] + "/index.json", sys.argv[2]
index = json.load(open(path))
repo, tag = ref.rsplit(":", 1)
first = repo.split("/")[0]
if "/" not in repo:
    repo = "docker.io/library/" + repo
elif not ("." in first or ":" in first or first == "localhost"):
    repo = "docker.io/" + repo
manifest = [m for m in index["manifests"] if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == "img"][0]
manifest["annotations"] = {"org.opencontainers.image.ref.name": tag, "io.containerd.image.name": repo + ":" + tag}
index["manifests"] = [manifest]
json.dump(index, open(path, "w"))
PY
  umoci gc --layout "$W/$name-layout"
  tar -C "$W/$name-layout" -cf "$OUT/$name.oci.tar.tmp" oci-layout index.json blobs
  mv "$OUT/$name.oci.tar.tmp" "$OUT/$name.oci.tar"
  rm -rf "$W/$name-layout" "$W/$name-rootfs.tar"
}

# fresh NAME KEY : whether $OUT/NAME.oci.tar was built from inputs whose hash is KEY
fresh() { [ -f "$OUT/$1.oci.tar" ] && [ "$(cat "$OUT/$1.key" 2>/dev/null)" = "$2" ]; }

# built NAME KEY T0 WHAT : records that $OUT/NAME.oci.tar is of inputs KEY, and logs WHAT's build time and size
built() {
  echo "$2" > "$OUT/$1.key"
  log "$4 built in $(( $(date +%s) - $3 ))s ($(du -m "$OUT/$1.oci.tar" | cut -f1) MiB)"
}

# The image configuration of EG's user, as elyra's EG and kernel images have it
JOVYAN_CONFIG=(--config.user 1000:100 --config.workingdir /home/jovyan
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --config.env HOME=/home/jovyan)

sidecar() {
  [ -f "$JAR" ] || { echo "no $JAR: build it first (mvn -pl pool-gateway-bridge -am package -DskipTests)" >&2; exit 1; }
  local key
  key=$( (echo "$SIDECAR_PACKAGES $SIDECAR_IMAGE"; cat "$SRCS" "$JAR" "$REPO/examples/config/sidecar.yaml" "$0") | sha256sum | cut -c1-16)
  if ! fresh sidecar "$key"; then
    local t0; t0=$(date +%s)
    rootfs sidecar "$SIDECAR_PACKAGES" \
      'chroot "$1" useradd --no-create-home --uid 10001 --home-dir /var/lib/kernel-pool kernel-pool' \
      'mkdir -p "$1"/opt/kernel-pool "$1"/var/lib/kernel-pool "$1"/run/kernel-pool "$1"/etc/kernel-pool' \
      'chroot "$1" chown kernel-pool /var/lib/kernel-pool /run/kernel-pool' \
      "copy-in $JAR /opt/kernel-pool" \
      "copy-in $REPO/examples/config/sidecar.yaml /etc/kernel-pool" \
      'chmod -R a+rX "$1"/opt/kernel-pool "$1"/etc/kernel-pool' \
      'chroot "$1" java -jar /opt/kernel-pool/kernel-pool.jar --version >&2'
    oci_archive sidecar "$SIDECAR_IMAGE" --config.user 10001 --config.workingdir /var/lib/kernel-pool \
      --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      --config.exposedports 8765/tcp \
      --config.entrypoint java --config.entrypoint -XX:MaxRAMPercentage=75 --config.entrypoint -jar \
      --config.entrypoint /opt/kernel-pool/kernel-pool.jar \
      --config.cmd serve --config.cmd --config --config.cmd /etc/kernel-pool/sidecar.yaml
    built sidecar "$key" "$t0" "sidecar image $SIDECAR_IMAGE"
  fi
  echo "$OUT/sidecar.oci.tar" >&3
}

enterprise_gateway() {
  local eg=$EG_HOME/enterprise_gateway-3.3.0 client=$EG_HOME/jupyter_client-6.1.12
  [ -d "$eg/enterprise_gateway" ] && [ -d "$client/jupyter_client" ] \
    || { echo "no EG 3.3.0 source under $EG_HOME (set EG_HOME)" >&2; exit 1; }
  local key
  key=$( (echo "$EG_PACKAGES $EG_IMAGE $KERNEL_IMAGE"; cat "$SRCS" "$0"; cd "$EG_HOME" \
      && find enterprise_gateway-3.3.0/enterprise_gateway enterprise_gateway-3.3.0/etc/kernelspecs/python_kubernetes \
        enterprise_gateway-3.3.0/etc/kernel-launchers/kubernetes jupyter_client-6.1.12/jupyter_client -type f -name '*' \
        | sort | xargs sha256sum) | sha256sum | cut -c1-16)
  if ! fresh enterprise-gateway "$key"; then
    local t0; t0=$(date +%s)
    local spec=/usr/local/share/jupyter/kernels/python_kubernetes
    # EG's start script, as elyra's image runs it: its settings come from the EG_* environment
    cat > "$W/start-enterprise-gateway.sh" <<'START'
#!/bin/bash
# Starts Enterprise Gateway 3.3.0 on all addresses; EG reads its other settings from EG_* variables.
exec python3 -m enterprise_gateway --ip=0.0.0.0 --port="${EG_PORT:-8888}" --port_retries=0 "$@"
START
    # jupyter_client 6.1.12 ahead of Debian's 7.4.9, which EG 3.x does not accept
    echo "/opt/enterprise-gateway/jupyter_client-6.1.12" > "$W/00-jupyter-client.pth"
    echo "/opt/enterprise-gateway/enterprise_gateway-3.3.0" > "$W/enterprise-gateway.pth"
    sed "s|elyra/kernel-py:VERSION|$KERNEL_IMAGE|" "$eg/etc/kernelspecs/python_kubernetes/kernel.json" > "$W/kernel.json"
    rootfs enterprise-gateway "$EG_PACKAGES" \
      'chroot "$1" useradd -m -u 1000 -g 100 -s /bin/bash jovyan' \
      'mkdir -p "$1"/opt/enterprise-gateway "$1"'"$spec/scripts" \
      "copy-in $eg /opt/enterprise-gateway" \
      "copy-in $client /opt/enterprise-gateway" \
      "copy-in $W/00-jupyter-client.pth $W/enterprise-gateway.pth /usr/local/lib/python3.11/dist-packages" \
      "copy-in $W/kernel.json $spec" \
      "copy-in $eg/etc/kernel-launchers/kubernetes/scripts/launch_kubernetes.py $eg/etc/kernel-launchers/kubernetes/scripts/kernel-pod.yaml.j2 $spec/scripts" \
      "copy-in $W/start-enterprise-gateway.sh /usr/local/bin" \
      'chmod 755 "$1"/usr/local/bin/start-enterprise-gateway.sh; chmod -R a+rX "$1"/opt/enterprise-gateway "$1"/usr/local/share/jupyter "$1"/usr/local/lib/python3.11' \
      'chroot "$1" python3 -c "import enterprise_gateway, jupyter_client, kubernetes; assert jupyter_client.__version__ == \"6.1.12\", jupyter_client.__version__; print(\"EG image imports OK\")" >&2'
    oci_archive enterprise-gateway "$EG_IMAGE" "${JOVYAN_CONFIG[@]}" \
      --config.exposedports 8888/tcp --config.exposedports 8877/tcp \
      --config.cmd /usr/local/bin/start-enterprise-gateway.sh
    built enterprise-gateway "$key" "$t0" "EG image $EG_IMAGE"
  fi
  echo "$OUT/enterprise-gateway.oci.tar" >&3
}

kernel_py() {
  local eg=$EG_HOME/enterprise_gateway-3.3.0
  local launcher=$eg/etc/kernel-launchers/python/scripts/launch_ipykernel.py bootstrap=$eg/etc/kernel-launchers/bootstrap/bootstrap-kernel.sh
  [ -f "$launcher" ] && [ -f "$bootstrap" ] || { echo "no EG 3.3.0 launchers under $EG_HOME (set EG_HOME)" >&2; exit 1; }
  local key
  key=$( (echo "$KERNEL_PACKAGES $KERNEL_IMAGE"; cat "$SRCS" "$0" "$launcher" "$bootstrap") | sha256sum | cut -c1-16)
  if ! fresh kernel-py "$key"; then
    local t0; t0=$(date +%s)
    local scripts=/usr/local/bin/kernel-launchers/python/scripts
    rootfs kernel-py "$KERNEL_PACKAGES" \
      'chroot "$1" useradd -m -u 1000 -g 100 -s /bin/bash jovyan' \
      'mkdir -p "$1"'"$scripts" \
      "copy-in $launcher $scripts" \
      "copy-in $bootstrap /usr/local/bin" \
      'chmod 755 "$1"/usr/local/bin/bootstrap-kernel.sh; chmod -R a+rX "$1"/usr/local/bin/kernel-launchers' \
      'chroot "$1" python3 -c "import ipykernel.kernelapp, jupyter_client.connect, Cryptodome.Cipher.AES, zmq; print(\"kernel image imports OK\")" >&2'
    oci_archive kernel-py "$KERNEL_IMAGE" "${JOVYAN_CONFIG[@]}" \
      --config.env KERNEL_LANGUAGE=python --config.env KERNEL_LAUNCHERS_DIR=/usr/local/bin/kernel-launchers \
      --config.cmd /usr/local/bin/bootstrap-kernel.sh
    built kernel-py "$key" "$t0" "kernel image $KERNEL_IMAGE"
  fi
  echo "$OUT/kernel-py.oci.tar" >&3
}

for target in "$@"; do
  case $target in
    sidecar) sidecar ;;
    enterprise-gateway) enterprise_gateway ;;
    kernel-py) kernel_py ;;
    *) echo "unknown target: $target (sidecar, enterprise-gateway, kernel-py)" >&2; exit 2 ;;
  esac
done
rm -rf "$W"
