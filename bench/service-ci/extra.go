package main

// What else the service talks to: metrics, traces, a database, a cache, Azure storage, its
// command line and config, and a Kubernetes controller for its custom resources.
import (
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/gin-gonic/gin"
	vault "github.com/hashicorp/vault/api"
	"github.com/nats-io/nats.go"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.uber.org/zap"
	ctrl "sigs.k8s.io/controller-runtime"
)

var (
	_ = azblob.NewClientFromConnectionString
	_ = gin.New
	_ = vault.NewClient
	_ = nats.Connect
	_ = pgxpool.New
	_ = prometheus.NewRegistry
	_ = redis.NewClient
	_ = cobra.Command{}
	_ = viper.New
	_ = otlptracegrpc.New
	_ = zap.NewProduction
	_ = ctrl.NewManager
)
