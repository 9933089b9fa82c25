# SYNTAX TEST "source.dockerfile" "go commands and Go environment variables"
FROM golang:1.22-alpine AS build
ENV GOCACHE=/cache/go GOFLAGS=-trimpath CGO_ENABLED=0
#   ^^^^^^^ support.variable.go-env.dockerfile
#                     ^^^^^^^ support.variable.go-env.dockerfile
#                                       ^^^^^^^^^^^ support.variable.go-env.dockerfile
ARG GOPROXY
#   ^^^^^^^ support.variable.go-env.dockerfile
ARG GOOSE_VERSION
#   ^^^^^^^^^^^^^ - support.variable.go-env.dockerfile
RUN CGO_ENABLED=0 GOOS=$TARGETOS go build -o /out/app ./cmd/app && go test ./...
#   ^^^^^^^^^^^ support.variable.go-env.dockerfile
#                 ^^^^ support.variable.go-env.dockerfile
#                                ^^ support.function.go.dockerfile
#                                   ^^^^^ entity.name.function.go-subcommand.dockerfile
#                                                                  ^^^^^^^ meta.instruction.run.go-dockerfile-cache
#                                                                     ^^^^ entity.name.function.go-subcommand.dockerfile
RUN cargo build && echo $GOPATH && go install ./cmd/...
#         ^^^^^ - entity.name.function.go-subcommand.dockerfile
#                        ^^^^^^ support.variable.go-env.dockerfile
#                                     ^^^^^^^ entity.name.function.go-subcommand.dockerfile
RUN go mod tidy; go vet ./...
#      ^^^^^^^^ entity.name.function.go-subcommand.dockerfile
#                   ^^^ entity.name.function.go-subcommand.dockerfile
RUN <<EOF
#     ^^^ entity.name.tag.heredoc.dockerfile
go generate ./...
# <-- support.function.go.dockerfile
#  ^^^^^^^^ entity.name.function.go-subcommand.dockerfile
CGO_ENABLED=0 go build -o /out/app .
# <----------- support.variable.go-env.dockerfile
#                ^^^^^ entity.name.function.go-subcommand.dockerfile
EOF
# <--- entity.name.tag.heredoc.dockerfile
CMD ["go", "build"]
#           ^^^^^ - entity.name.function.go-subcommand.dockerfile
LABEL description="go build"
#                     ^^^^^ - entity.name.function.go-subcommand.dockerfile
WORKDIR /go/build
#           ^^^^^ - entity.name.function.go-subcommand.dockerfile
