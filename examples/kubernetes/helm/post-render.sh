#!/bin/sh
# Helm post-renderer: adds the kernel-pool sidecar to what EG's chart renders, by applying
# ../eg-deployment-patch.yaml with kustomize (kubectl kustomize). Install with:
#   helm upgrade --install enterprise-gateway <EG chart> -n enterprise-gateway \
#     -f examples/kubernetes/helm/values.yaml --post-renderer examples/kubernetes/helm/post-render.sh
# The patch names Deployment enterprise-gateway in namespace enterprise-gateway: install the
# release there, or change the patch's namespace. Apply rbac.yaml, sidecar-config.yaml,
# kernelspec-configmap.yaml and pdb.yaml from the parent directory as well.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/chart.yaml"
cp "$here/../eg-deployment-patch.yaml" "$work/sidecar-patch.yaml"
cat > "$work/kustomization.yaml" <<KUSTOMIZATION
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - chart.yaml
patches:
  - path: sidecar-patch.yaml
KUSTOMIZATION
kubectl kustomize "$work"
