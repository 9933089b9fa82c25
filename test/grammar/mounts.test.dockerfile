# SYNTAX TEST "source.dockerfile" "cache mount options in RUN"
FROM golang:1.22 AS build
RUN --mount=type=cache,target=/root/.cache/go-build,sharing=locked go build ./...
# <--- keyword.other.special-method.dockerfile
#   ^^^^^^^ variable.parameter.flag.dockerfile
#           ^^^^ entity.other.attribute-name.mount-option.dockerfile
#                ^^^^^ constant.language.mount-type.dockerfile
#                     ^ punctuation.separator.comma.dockerfile
#                      ^^^^^^ entity.other.attribute-name.mount-option.dockerfile
#                             ^^^^^^^^^^^^^^^^^^^^^ string.unquoted.mount-value.dockerfile
#                                                   ^^^^^^^ entity.other.attribute-name.mount-option.dockerfile
#                                                           ^^^^^^ constant.language.mount-sharing.dockerfile
#                                                                  ^^ support.function.go.dockerfile
#                                                                     ^^^^^ entity.name.function.go-subcommand.dockerfile
RUN --mount=type=cache,id=gomod,uid=1000,gid=1000 \
#                      ^^ entity.other.attribute-name.mount-option.dockerfile
#                               ^^^ entity.other.attribute-name.mount-option.dockerfile
#                                   ^^^^ string.unquoted.mount-value.dockerfile
    --mount=type=secret,id=netrc,target=/root/.netrc,required \
#   ^^^^^^^ variable.parameter.flag.dockerfile
#                ^^^^^^ constant.language.mount-type.dockerfile
#                                ^^^^^^ entity.other.attribute-name.mount-option.dockerfile
#                                                    ^^^^^^^^ entity.other.attribute-name.mount-option.dockerfile
    go mod download
#   ^^ support.function.go.dockerfile
#      ^^^^^^^^^^^^ entity.name.function.go-subcommand.dockerfile
COPY --chown=1000 . .
#    ^^^^^^^ - variable.parameter.flag.dockerfile
# A comment mentioning --mount=type=cache and go build
#                                   ^^^^^ comment.line.number-sign.dockerfile - constant.language.mount-type.dockerfile
#                                                ^^^^^ comment.line.number-sign.dockerfile - entity.name.function.go-subcommand.dockerfile
RUN echo done
#   ^^^^ meta.instruction.run.go-dockerfile-cache
CMD --mount=type=cache
#                ^^^^^ - constant.language.mount-type.dockerfile
