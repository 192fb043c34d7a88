/**
 * A TCP forwarder on 127.0.0.1 that a test switches off and on: while off nothing listens on its port, so a client
 * gets "connection refused" (ECONNREFUSED) as from a host whose service is down; switched on again, it listens on
 * the same port and forwards to the target as before. Put it in front of the fake DingTalk to simulate DingTalk
 * being unreachable without losing the fake's state (deliveries, seen msgUuids).
 */
import * as net from 'node:net';

export interface TcpSwitch {
  readonly port: number;
  /** Whether it listens now. */
  readonly isOn: boolean;
  /** Connections accepted while on (each forwarded to the target). */
  readonly connections: number;
  /** Stops listening and cuts every open connection: new connections are refused. */
  off(): Promise<void>;
  /** Listens again on the same port. */
  on(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpSwitch(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpSwitch> {
  const open = new Set<net.Socket>();
  let connections = 0;
  let server: net.Server | null = null;
  let port = 0;

  const listen = async (): Promise<void> => {
    const s = net.createServer((client) => {
      connections += 1;
      const upstream = net.connect(targetPort, targetHost);
      for (const socket of [client, upstream]) {
        open.add(socket);
        socket.on('close', () => open.delete(socket));
        // A cut connection is what the test wants; its errors are not the test's failures.
        socket.on('error', () => undefined);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.address() as net.AddressInfo).port;
    server = s;
  };

  const stop = async (): Promise<void> => {
    const s = server;
    if (!s) return;
    server = null;
    for (const socket of open) socket.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen();
  return {
    get port() {
      return port;
    },
    get isOn() {
      return server !== null;
    },
    get connections() {
      return connections;
    },
    off: stop,
    async on() {
      if (!server) await listen();
    },
    close: stop,
  };
}
