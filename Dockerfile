# starcoffee with everything its live world needs in one image: Node 20, the compiled CLI,
# redis-server (Debian's package) and the Toxiproxy server (pinned v2.12.0). The default command is
# `starcoffee serve`: Redis, Toxiproxy and the five services on the container's loopback interface.
# Untested: there is no Docker engine on the machine this was written on.
FROM golang:1.23-bookworm AS toxiproxy
RUN go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0

FROM node:20-bookworm
RUN apt-get update \
  && apt-get install -y --no-install-recommends redis-server \
  && rm -rf /var/lib/apt/lists/*
COPY --from=toxiproxy /go/bin/server /usr/local/bin/toxiproxy-server
WORKDIR /app
COPY . .
# npm ci also compiles the CLI into dist/ (the prepare script)
RUN npm ci --no-audit --no-fund
ENTRYPOINT ["node", "bin/starcoffee.mjs"]
CMD ["serve", "--service", "all"]
