/** Checks that a TCP port can be bound before a server tries, so a clash gives a clear message. */
import net from "node:net";
import { StartupError } from "../errors.js";

/** Throws a StartupError naming `setting` when `host:port` cannot be bound. */
export function assertPortFree(port: number, host: string, setting: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === "EADDRINUSE"
          ? "is already in use by another program"
          : error.code === "EACCES"
            ? "needs privileges this user does not have"
            : `cannot be used (${error.code ?? error.message})`;
      reject(new StartupError(`Port ${port} on ${host} ${reason}; choose another with ${setting}=<port>`));
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
