import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AppError } from '@otklik/service-kit';
import { renderPublicSources } from './public-sources.html';
import { SourceRegistryService } from './source-registry.service';

/** Browsers and the site's own cache may keep the list this long. */
const CACHE_CONTROL = 'public, max-age=300';

/**
 * The official accounts an organisation's site lists (cl. 3), open to anyone:
 * `GET /public/sources?organization=<id>` as JSON and `GET /public/sources.html?organization=<id>`
 * as an HTML block to embed. No viewer, no secrets; read in that organisation's scope alone.
 */
@Controller('public')
export class PublicSourcesController {
  constructor(private readonly registry: SourceRegistryService) {}

  @Get('sources')
  async json(@Query('organization') organization: unknown, @Res() res: Response): Promise<void> {
    const listed = await this.listOf(organization, res);
    if (!listed) return;
    res
      .status(200)
      .set(headers('application/json; charset=utf-8'))
      .send(JSON.stringify({ organizationId: listed.organizationId, sources: listed.sources }));
  }

  @Get('sources.html')
  async html(@Query('organization') organization: unknown, @Res() res: Response): Promise<void> {
    const listed = await this.listOf(organization, res);
    if (!listed) return;
    res
      .status(200)
      .set({
        ...headers('text/html; charset=utf-8'),
        // Opened on its own or framed, the block may load and run nothing.
        'content-security-policy': "default-src 'none'; frame-ancestors *",
      })
      .send(renderPublicSources(listed.sources));
  }

  private async listOf(organization: unknown, res: Response) {
    if (typeof organization !== 'string' || organization === '') {
      res.status(400).json({ error: 'organization is required: ?organization=<the organisation’s id>' });
      return undefined;
    }
    try {
      return { organizationId: organization, sources: await this.registry.publicList(organization) };
    } catch (error) {
      if (error instanceof AppError && error.code === 'BAD_USER_INPUT') {
        res.status(400).json({ error: 'organization must be an organisation id (a UUID)' });
        return undefined;
      }
      throw error;
    }
  }
}

function headers(contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    'cache-control': CACHE_CONTROL,
    'x-content-type-options': 'nosniff',
    // Any site may fetch the list and show it its own way.
    'access-control-allow-origin': '*',
  };
}
