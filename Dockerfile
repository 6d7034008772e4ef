# The k8scheck container image: the static binary (meson -Dstatic=true) on
# distroless's static base, which holds no shell and no package manager,
# running as its numeric non-root user. The repository to check is mounted
# on /src:
#
#   docker build -t k8scheck .
#   docker run --rm -v "$PWD:/src" k8scheck /src
#
# This file passes k8scheck's own Dockerfile rules with the default profile
# (tests/check-ship checks it).

# Build: Debian's compiler, meson and the libraries' static archives.
FROM debian:12.11-slim AS build
RUN apt-get update \
	&& apt-get install -y --no-install-recommends gcc libc6-dev meson ninja-build pkg-config libyaml-dev libcyaml-dev libjansson-dev \
	&& rm -rf /var/lib/apt/lists/*
WORKDIR /k8scheck
COPY . .
# SARIF's rule links: the repository's web address at the built ref, e.g.
# --build-arg DOCS_URL=https://github.com/ORG/k8scheck/blob/v0.1.0
ARG DOCS_URL=""
RUN meson setup /tmp/build --buildtype=release -Dstatic=true -Dtests=disabled -Dwerror=false -Ddocs_url="$DOCS_URL" \
	&& ninja -C /tmp/build k8scheck \
	&& strip /tmp/build/k8scheck \
	&& /tmp/build/k8scheck --version

# Run: only the binary. 65532 is distroless's "nonroot" user; numeric, so
# Kubernetes can verify runAsNonRoot against it.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /tmp/build/k8scheck /usr/local/bin/k8scheck
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["k8scheck"]
CMD ["."]
