#!/usr/bin/env bash
# Debian packages the full test suite needs: Chromium (browser tests), PostgreSQL (the store
# suite runs against a real server), nginx and openssl (the team setup: a TLS proxy in front of
# two dashboard servers, with a certificate made by the test) and R with minpack.lm (the fits are
# checked against R's nls), psych, GPArotation and multilevel (scale reliability, omega and
# agreement are checked against psych::alpha, psych::omega and multilevel's rwg.j and ICC).
# Installs only what is missing.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
# nginx lives in /usr/sbin, which a non-root PATH may lack
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v Rscript >/dev/null 2>&1 || missing+=(r-base-core)
# minpack.lm: nlsLM, the referee for fits that plain nls cannot start
if ! command -v Rscript >/dev/null 2>&1 \
    || ! Rscript -e 'quit(status = !requireNamespace("minpack.lm", quietly = TRUE))' >/dev/null 2>&1; then
    missing+=(r-cran-minpack.lm)
fi
# psych (alpha, omega; omega needs GPArotation) and multilevel (rwg.j, ICC1, ICC2): the referees
# of readiness.evidence
for pair in psych:r-cran-psych GPArotation:r-cran-gparotation multilevel:r-cran-multilevel; do
    if ! command -v Rscript >/dev/null 2>&1 \
        || ! Rscript -e "quit(status = !requireNamespace(\"${pair%%:*}\", quietly = TRUE))" >/dev/null 2>&1; then
        missing+=("${pair#*:}")
    fi
done
python3 -c "import venv, ensurepip" >/dev/null 2>&1 || missing+=(python3-venv)
# fonts so that screenshots show text
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "Not root and no sudo: install these packages first: ${missing[*]}" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
