# The landing-zone CLI as a container image, for CI systems that prefer images to `npm install`.
# Built from the package tarball, so the image holds exactly what npm users get:
#
#   npm run pack:cli                     # writes dist/scaleway-landing-zone-cli-<version>.tgz
#   docker build --build-arg VERSION=<version> -t scaleway-landing-zone/cli:<version> .
#   docker run --rm -v "$PWD:/work" scaleway-landing-zone/cli:<version> validate landing-zone.yaml
#
# The package bundles its JavaScript and ships its fonts; its one dependency is resvg's native
# binary for PNG export (glibc, hence Debian slim rather than Alpine). The CLI runs as the
# unprivileged `node` user; the working directory is the mounted repository.
ARG NODE_IMAGE=node:20-bookworm-slim
FROM ${NODE_IMAGE}
ARG VERSION
COPY dist/scaleway-landing-zone-cli-${VERSION}.tgz /tmp/cli.tgz
RUN npm install --global --no-fund --no-audit --omit=dev /tmp/cli.tgz \
 && rm /tmp/cli.tgz \
 && npm cache clean --force \
 && landing-zone --version
USER node
WORKDIR /work
ENTRYPOINT ["landing-zone"]
CMD ["--help"]
