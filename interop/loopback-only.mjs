// Preloaded with `node --import` before a third-party server: binds every
// listen() without an explicit host to 127.0.0.1 (those servers otherwise
// listen on all interfaces) and prints the real address, so port 0 works.
// With MCPWIRE_LISTEN_PORT set, a numeric port given to listen() is replaced by
// it (the SDK's example servers hard-code 3000 or 3001; 0 picks a free one).
import net from 'node:net';

const forcedPort = process.env.MCPWIRE_LISTEN_PORT;

const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || typeof args[0] === 'string') {
    const port = forcedPort !== undefined ? Number(forcedPort) : Number(args[0]);
    const rest = args.slice(1).filter((a) => typeof a !== 'string');
    args = [port, '127.0.0.1', ...rest];
  } else if (args[0] && typeof args[0] === 'object' && args[0].host === undefined && args[0].path === undefined) {
    args[0] = { ...args[0], host: '127.0.0.1', ...(forcedPort !== undefined && { port: Number(forcedPort) }) };
  }
  this.once('listening', () => {
    const a = this.address();
    if (a && typeof a === 'object') process.stderr.write(`mcpwire-loopback listening ${a.address}:${a.port}\n`);
  });
  return listen.apply(this, args);
};
