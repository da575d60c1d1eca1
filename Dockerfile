# One image per Cartwheel service from one Dockerfile: `--build-arg SERVICE=<name>` picks the
# service (gateway, user, product, inventory, order, notification, ai).
#
#   docker build --build-arg SERVICE=order -t cartwheel/order .              # production image
#   docker build --build-arg SERVICE=order --target dev -t cartwheel/order .  # Tilt/Skaffold dev image
#
# Stages: node-user (pinned Node, the app user) → base (package manifests) → deps (npm ci, every workspace, dev tools included)
# → build (tsc -b and the storefront assets) → prod-deps (npm ci --omit=dev of the one service's
# workspace tree) → assemble (that service's compiled workspaces + its production node_modules)
# → runtime (the last stage, the default target). `dev` branches off `build`.
# k8s/test/dockerfile.test.ts checks every COPY source and the CMD against the repository.

# Pinned by version. No digest is pinned: none could be verified from this project's machines
# (no registry access); pin one with `docker buildx imagetools inspect node:20.20.2-bookworm-slim`.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS node-user
# uid/gid 10001: numeric, so Kubernetes can check runAsNonRoot; above the image's `node` (1000).
# Embedded-mode data (only used when no database URL is set) goes to a writable /tmp folder.
RUN groupadd --gid 10001 cartwheel \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin cartwheel \
 && mkdir -p /tmp/cartwheel-data && chown 10001:10001 /tmp/cartwheel-data
ENV CARTWHEEL_DATA_DIR=/tmp/cartwheel-data

FROM node-user AS base
WORKDIR /app
# Every workspace's package.json (npm ci refuses a lockfile whose workspaces are missing), the
# lockfile and the root package.json with its `overrides` (undici ^7 under @kubernetes/client-node).
COPY package.json package-lock.json ./
COPY services/kit/package.json services/kit/
COPY services/testing/package.json services/testing/
COPY services/user/package.json services/user/
COPY services/product/package.json services/product/
COPY services/inventory/package.json services/inventory/
COPY services/order/package.json services/order/
COPY services/notification/package.json services/notification/
COPY services/ai/package.json services/ai/
COPY services/web/package.json services/web/
COPY services/gateway/package.json services/gateway/
COPY services/platform/package.json services/platform/

FROM base AS deps
# --ignore-scripts: nothing we run needs an install script (esbuild finds its platform package
# without its postinstall), and it keeps @scarf/scarf (under swagger-ui-dist) from phoning home.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund

FROM deps AS build
COPY tsconfig.base.json tsconfig.json ./
COPY services/ services/
# Local dist/ folders come along in the context (Tilt's live update syncs them, so .dockerignore
# keeps them): drop them so tsc -b compiles everything here instead of trusting a stale tsbuildinfo.
RUN rm -rf services/*/dist && npm run build

FROM base AS prod-deps
ARG SERVICE
RUN test -n "${SERVICE}" || { echo 'build with --build-arg SERVICE=<name>' >&2; exit 1; }
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace "services/${SERVICE}"

FROM build AS assemble
ARG SERVICE
COPY --from=prod-deps /app/node_modules /out/node_modules
COPY k8s/docker/stage-service.ts k8s/docker/
# Copies the service's workspace and the workspaces it depends on (package.json and their
# `files`: dist, migrations) into /out, and drops links to workspaces the service does not use.
RUN node --import tsx k8s/docker/stage-service.ts "${SERVICE}" /out

# Tilt and Skaffold (`target: dev`): every dependency, all compiled workspaces, and node --watch,
# which restarts the service when live update syncs freshly compiled files into services/*/dist.
FROM build AS dev
ARG SERVICE
ENV NODE_ENV=development \
    CARTWHEEL_SERVICE=${SERVICE}
# The app user owns services/ so live update can write into it; node_modules stays root's.
RUN chown -R 10001:10001 /app/services
USER 10001:10001
WORKDIR /app/services/${SERVICE}
CMD ["node", "--watch", "--enable-source-maps", "dist/main.js"]

FROM node-user AS runtime
ARG SERVICE
# No package managers in the final image: npm, npx, corepack and yarn are build tools.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
ENV NODE_ENV=production \
    CARTWHEEL_SERVICE=${SERVICE}
# Root owns the code; the app user can read it, not change it.
COPY --from=assemble /out/ /app/
USER 10001:10001
# The working directory carries the service name so CMD can stay in exec form (exec form does
# not expand variables): node is PID 1 and gets SIGTERM itself; the kit drains and stops.
WORKDIR /app/services/${SERVICE}
CMD ["node", "--enable-source-maps", "dist/main.js"]
