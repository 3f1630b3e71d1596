# Debian/Ubuntu package names across releases; sourced by scripts/setup.
# The 64-bit time_t transition (Debian 13, Ubuntu 24.04) renamed libraries such as
# libglib2.0-0 to libglib2.0-0t64 (and libasound2 to libasound2t64); Debian 12 and Ubuntu 22.04
# only know the old names. Lists here use the old name; either name installed will do.

pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# Print the packages of "$@" installed under neither their name nor its t64 rename.
missing_packages() {
  local pkg
  for pkg in "$@"; do
    pkg_installed "$pkg" || pkg_installed "${pkg}t64" || printf '%s\n' "$pkg"
  done
}

# Print, for each package of "$@", the name this release's apt knows: the t64 rename where
# apt-cache has a real package of that name, else the name as given. Needs apt-get update.
apt_names() {
  local pkg
  for pkg in "$@"; do
    if apt-cache show --no-all-versions "${pkg}t64" 2>/dev/null | grep -xF "Package: ${pkg}t64" >/dev/null; then
      printf '%s\n' "${pkg}t64"
    else
      printf '%s\n' "$pkg"
    fi
  done
}
