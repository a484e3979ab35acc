package cache

import "github.com/redis/go-redis/v9"

func New() *redis.Client {
	return redis.NewClient(&redis.Options{
		Addr:     "redis-master.prod:6379",
		Password: "@aXZxSiK27+ST14+C7bX9FN?",
		DB:       2,
	})
}
