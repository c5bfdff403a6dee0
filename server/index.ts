import { ConfigError, loadConfig, type Config } from './config';
import { createParleyServer, type ParleyServer } from './http-server';
import { log } from './log';

const SHUTDOWN_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  const dev = process.argv.includes('--dev');

  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      log.error(`Invalid configuration: ${err.message}`, { variable: err.variable, hint: 'See .env.example for every setting.' });
      process.exit(1);
    }
    throw err;
  }

  let parley: ParleyServer;
  try {
    parley = await createParleyServer({ config, dev });
  } catch (err) {
    log.error('server failed to start', { error: err });
    process.exit(1);
  }
  log.info('listening', { url: parley.url, port: parley.port, dev, dataDir: config.dataDir });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // A second signal means the operator wants out now.
      log.warn('second signal; exiting without waiting', { signal });
      process.exit(1);
    }
    stopping = true;
    log.info('shutting down', { signal });
    const timeout = setTimeout(() => {
      log.error('shutdown timed out; exiting', { timeoutMs: SHUTDOWN_TIMEOUT_MS });
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timeout.unref();
    parley.close().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error('shutdown failed', { error: err });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (reason) => log.error('unhandled promise rejection', { error: reason }));
}

void main();
