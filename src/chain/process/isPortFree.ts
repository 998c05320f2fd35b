import { createServer } from 'node:net'

/**
 * Whether `port` can be bound on `host` right now (a quick listen and close).
 *
 * Only a hint: another process can take the port between this check and the real bind, so
 * callers must still handle EADDRINUSE from the real listener.
 *
 * @example
 * ```ts
 * if (!(await isPortFree(8545, '127.0.0.1'))) console.error('8545 is busy')
 * ```
 */
export function isPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', (error: NodeJS.ErrnoException) => {
      // EACCES, EADDRNOTAVAIL and friends are not "in use": let the real listener report them.
      resolve(error.code !== 'EADDRINUSE')
    })
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true))
    })
  })
}
