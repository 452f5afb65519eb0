import type { INestApplication } from '@nestjs/common';
import { ConfigError } from '@lib/service';

/** Listens on every interface; a port already taken is a configuration problem, reported as one line. */
export async function listenOrFail(app: INestApplication, port: number): Promise<string> {
  try {
    await app.listen(port);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new ConfigError(`PORT ${port} is already in use; set PORT to a free port`);
    throw e;
  }
  return `http://localhost:${port}`;
}
