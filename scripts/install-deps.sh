#!/usr/bin/env bash
# Install exactly the Debian packages of ARCHITECTURE.md's dependency table.
# Checks first and installs only what is missing. Needs root; without it, prints
# the exact `sudo apt-get` line and exits 1. Every package is named: nothing is
# left to Recommends (cftime and dask are only Recommends of xarray).
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config clang-format hdf5-tools
  # C libraries
  libgsl-dev librandom123-dev libhdf5-dev libfyaml-dev libcmocka-dev
  # clusters
  libopenmpi-dev openmpi-bin slurm-wlm munge
  # analysis (run with /usr/bin/python3)
  python3 python3-h5py python3-numpy python3-pandas python3-matplotlib python3-xarray
  python3-h5netcdf python3-cftime python3-dask python3-scipy python3-pytest python3-cartopy
  python3-yaml python3-pil
  # inspection
  netcdf-bin
  # report check
  chromium
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root, or:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
