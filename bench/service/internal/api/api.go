// Package api is the HTTP API: orders in memory, JSON in and out, metrics on /metrics.
package api

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"example.com/orders/internal/metrics"
)

type Order struct {
	ID       string  `json:"id"`
	Customer string  `json:"customer" binding:"required"`
	Item     string  `json:"item" binding:"required"`
	Quantity int     `json:"quantity" binding:"required,min=1"`
	Price    float64 `json:"price" binding:"required,gt=0"`
}

type store struct {
	mu     sync.RWMutex
	orders map[string]Order
}

func Serve(ctx context.Context, addr string, registry *metrics.Registry, log *zap.Logger) error {
	gin.SetMode(gin.ReleaseMode)
	router := gin.New()
	router.Use(gin.Recovery(), instrument(registry))
	s := &store{orders: map[string]Order{}}
	router.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, greeting) })
	router.GET("/metrics", gin.WrapH(promhttp.HandlerFor(registry, promhttp.HandlerOpts{})))
	router.POST("/orders", s.create)
	router.GET("/orders/:id", s.get)
	router.GET("/orders/:id/receipt", s.receipt)
	server := &http.Server{Addr: addr, Handler: router, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdown)
	}()
	log.Info("HTTP listening", zap.String("addr", addr))
	if err := server.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func instrument(registry *metrics.Registry) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		registry.Requests.WithLabelValues(c.FullPath(), http.StatusText(c.Writer.Status())).Inc()
		registry.Latency.WithLabelValues(c.FullPath()).Observe(time.Since(start).Seconds())
	}
}

func (s *store) create(c *gin.Context) {
	var order Order
	if err := c.ShouldBindJSON(&order); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	order.ID = uuid.NewString()
	order.Customer = cases.Title(language.English).String(order.Customer)
	s.mu.Lock()
	s.orders[order.ID] = order
	s.mu.Unlock()
	c.JSON(http.StatusCreated, order)
}

// find looks up the order named in the path, answering 404 when there is none.
func (s *store) find(c *gin.Context) (Order, bool) {
	s.mu.RLock()
	order, ok := s.orders[c.Param("id")]
	s.mu.RUnlock()
	if !ok {
		c.JSON(http.StatusNotFound, gin.H{"error": "no such order"})
	}
	return order, ok
}

func (s *store) get(c *gin.Context) {
	if order, ok := s.find(c); ok {
		c.JSON(http.StatusOK, order)
	}
}

// receipt renders an order as a protobuf Struct in protojson, the format the billing system reads.
func (s *store) receipt(c *gin.Context) {
	order, ok := s.find(c)
	if !ok {
		return
	}
	printer := message.NewPrinter(language.English)
	receipt, err := structpb.NewStruct(map[string]interface{}{
		"order":    order.ID,
		"customer": order.Customer,
		"total":    printer.Sprintf("%.2f", order.Price*float64(order.Quantity)),
		"issued":   timestamppb.Now().AsTime().Format(time.RFC3339),
	})
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	body, _ := protojson.Marshal(receipt)
	c.Data(http.StatusOK, "application/json", body)
}
