import * as http from 'node:http';

/**
 * An HTTP server for a loopback stand-in whose idle sockets are closed by the client, never by the server: a test that
 * blocks the event loop (openssl, a loaded machine) past Node's 5 s keep-alive default otherwise hands the next request
 * a socket the server has just closed (ECONNRESET).
 */
export function standInServer(listener: http.RequestListener): http.Server {
  const server = http.createServer(listener);
  server.keepAliveTimeout = 120_000;
  return server;
}
