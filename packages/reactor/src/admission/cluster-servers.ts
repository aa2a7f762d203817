/**
 * Kopf's webhook servers for local clusters that run in containers or VMs: the same
 * local HTTPS server, but announced (and certified) under the host name by which the
 * cluster reaches this machine. The server listens on all interfaces unless `addr`
 * says otherwise, so the cluster's network can reach it.
 */
import { WebhookServer, type WebhookServerOptions } from './webhook-server.js';

/** Kopf's `WebhookK3dServer`: K3d/K3s reach this machine as `host.k3d.internal`. */
export class WebhookK3dServer extends WebhookServer {
  constructor(options: WebhookServerOptions = {}) {
    super({ ...options, host: options.host ?? 'host.k3d.internal' });
  }
}

/** Kopf's `WebhookMinikubeServer`: Minikube reaches this machine as `host.minikube.internal`. */
export class WebhookMinikubeServer extends WebhookServer {
  constructor(options: WebhookServerOptions = {}) {
    super({ ...options, host: options.host ?? 'host.minikube.internal' });
  }
}

/** Kopf's `WebhookDockerDesktopServer`: Docker Desktop reaches this machine as `host.docker.internal`. */
export class WebhookDockerDesktopServer extends WebhookServer {
  constructor(options: WebhookServerOptions = {}) {
    super({ ...options, host: options.host ?? 'host.docker.internal' });
  }
}
