#!/usr/bin/env bash
# Placeholder while the chart tool installer is written (issue 10); replaced in the next commits.
set -euo pipefail
echo "install-tools.sh: chart tools not installed yet"
