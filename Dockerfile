# PlexSync worker image: a static binary on a distroless base.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/plexsync ./cmd/plexsync

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/plexsync /usr/local/bin/plexsync
USER nonroot
ENTRYPOINT ["/usr/local/bin/plexsync"]
CMD ["worker"]
