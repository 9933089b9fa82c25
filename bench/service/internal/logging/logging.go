// Package logging gives the service a zap logger and routes logrus (used by some libraries'
// examples and by older code) through it.
package logging

import (
	"github.com/sirupsen/logrus"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

func New(level string) *zap.Logger {
	var zl zapcore.Level
	if err := zl.Set(level); err != nil {
		zl = zapcore.InfoLevel
	}
	cfg := zap.NewProductionConfig()
	cfg.Level = zap.NewAtomicLevelAt(zl)
	log, err := cfg.Build()
	if err != nil {
		log = zap.NewNop()
	}
	logrus.SetFormatter(&logrus.JSONFormatter{})
	logrus.SetOutput(zap.NewStdLog(log).Writer())
	return log
}
