import { APP_CONFIG, type AppConfig, createAppLogger } from '@lib/service';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiModule, type ApiModuleOptions } from './api.module';
import { serveDashboard } from './dashboard/dashboard-static';

/** Where the OpenAPI document is served (Swagger UI; the JSON at `/docs-json`). */
export const OPENAPI_PATH = 'docs';

/** Options that every way of creating the API app shares; Express's own body parser is replaced by ours. */
export const API_APP_OPTIONS = { bodyParser: false } as const;

/** Creates the API application (not yet listening). */
export async function createApiApp(options: ApiModuleOptions, loggerPrefix = 'asl-api'): Promise<INestApplication> {
  const app = await NestFactory.create(ApiModule.forRoot(options), {
    // Rethrow start-up failures to the entry point instead of aborting the process with a core dump.
    abortOnError: false,
    ...API_APP_OPTIONS,
    logger: createAppLogger(options.config.logLevel, loggerPrefix),
  });
  return configureApiApp(app);
}

/**
 * What an API app needs beyond its module: the dashboard's files and the OpenAPI document. Used by the entry points
 * and the tests alike. Runs before the app's init, so the dashboard's files are served ahead of Nest's middleware.
 */
export function configureApiApp(app: INestApplication): INestApplication {
  const express = app.getHttpAdapter().getInstance() as { disable?: (setting: string) => void };
  express.disable?.('x-powered-by');
  serveDashboard(app, app.get<AppConfig>(APP_CONFIG).dashboardDir);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('ASL engine')
      .setDescription(
        'Amazon States Language state machines and their executions, with the Step Functions API names and shapes in ' +
          'camelCase. ARNs in paths are URL-encoded. Errors carry `__type` (the AWS error name) and `message`.',
      )
      .setVersion('1')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        description: "Required on every route but /health, /docs and the dashboard's files when API_TOKEN is set",
      })
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup(OPENAPI_PATH, app, document);
  return app;
}
