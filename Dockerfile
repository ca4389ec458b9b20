# tcbmock's fake as a container: a static binary on an empty image, run by
# a user who is not root, serving on 0.0.0.0:8080.
#
#   docker build -t tcbmock .
#   docker run --rm -p 127.0.0.1:8080:8080 -e TCBMOCK_ADMIN_TOKEN=… tcbmock
#
# The build copies .git too, so that "tcbmock version" names the tag and
# commit the image was built from (-buildvcs=auto); base images are named in
# full, as podman requires.
#
# .ci/container checks the image with podman: it runs this file's build
# RUN lines on the host, builds the last stage from their output, and
# serves from the exported image.

FROM docker.io/library/golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -buildvcs=auto -trimpath -ldflags="-s -w" -o /out/usr/local/bin/tcbmock ./cmd/tcbmock
# A user to run as, and its home, where the CA is made on first need.
RUN mkdir -p /out/etc /out/home/tcbmock/.cache && \
    echo 'tcbmock:x:65532:65532:tcbmock:/home/tcbmock:/sbin/nologin' > /out/etc/passwd && \
    echo 'tcbmock:x:65532:' > /out/etc/group

FROM scratch
COPY --from=build /out/etc/ /etc/
COPY --from=build /out/usr/ /usr/
COPY --from=build --chown=65532:65532 /out/home/ /home/
USER 65532:65532
ENV HOME=/home/tcbmock
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/tcbmock"]
CMD ["serve", "--addr", "0.0.0.0:8080"]
