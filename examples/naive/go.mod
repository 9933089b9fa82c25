module example.com/naive

go 1.26

require github.com/google/uuid v1.3.0
