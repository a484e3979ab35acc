package kube

const (
	serviceAccountTokenPath = "/var/run/secrets/kubernetes.io/serviceaccount/token"
	serviceAccountCAPath    = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"
	namespacePath           = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"
)
