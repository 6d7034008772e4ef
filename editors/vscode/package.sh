#!/bin/sh
# Build the VS Code extension and package it as k8scheck.vsix:
#
#   editors/vscode/package.sh
#
# Needs node (20 or later) and npm; the packages come from the npm
# registry (package-lock.json pins them). The extension runs `k8scheck lsp`
# (the k8scheck.path setting names the binary). Install the result with
#   code --install-extension editors/vscode/k8scheck.vsix
set -eu
cd "$(dirname "$0")"
if [ -f package-lock.json ]; then
	npm ci --no-audit --no-fund
else
	npm install --no-audit --no-fund
fi
npm run compile
# vscode-languageclient is bundled as plain node_modules: vsce keeps the
# production dependencies and leaves the dev ones out.
npx vsce package --allow-missing-repository --skip-license -o k8scheck.vsix
ls -l k8scheck.vsix
