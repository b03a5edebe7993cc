# Multi-stage build: compile in the Rust image, run as a non-root user with a data volume.
FROM rust:1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /app etalase
WORKDIR /app
COPY --from=build /src/target/release/etalase /usr/local/bin/etalase
COPY templates ./templates
COPY public ./public
COPY search-config ./search-config
RUN mkdir -p /app/data && chown etalase /app/data
USER etalase
ENV HOST=0.0.0.0 PORT=8080 DATA_DIR=/app/data LOG_FORMAT=json
VOLUME ["/app/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fs http://127.0.0.1:8080/health || exit 1
CMD ["etalase", "serve"]
