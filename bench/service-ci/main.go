// A service with the module graph of a typical cloud-native Go service: it serves gRPC health
// checks, watches Kubernetes config maps and writes reports to object storage.
package main

import (
	"context"
	"fmt"
	"log"
	"net"
	"os"

	"cloud.google.com/go/storage"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"example.com/reports/internal/version"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "version" {
		fmt.Println(version.Greeting)
		return
	}
	ctx := context.Background()
	if cfg, err := rest.InClusterConfig(); err == nil {
		if client, err := kubernetes.NewForConfig(cfg); err == nil {
			maps, _ := client.CoreV1().ConfigMaps("default").List(ctx, metav1.ListOptions{})
			log.Printf("config maps: %d", len(maps.Items))
		}
	}
	if awsCfg, err := config.LoadDefaultConfig(ctx); err == nil {
		_ = s3.NewFromConfig(awsCfg)
	}
	if gcs, err := storage.NewClient(ctx); err == nil {
		defer gcs.Close()
	}
	server := grpc.NewServer()
	healthpb.RegisterHealthServer(server, health.NewServer())
	listener, err := net.Listen("tcp", ":8080")
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(server.Serve(listener))
}
