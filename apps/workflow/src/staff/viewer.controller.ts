import { Controller, Get, NotFoundException, Param, UseGuards } from '@nestjs/common';
import { ServiceTokenGuard, Viewer } from '@otklik/auth';
import { StaffService } from './staff.service';

/**
 * `GET /internal/viewers/:login` — the gateway asks who a token's login is (on every new
 * token, cached 30 s). Only other Otklik services may ask (service token); 404 for a login
 * nobody holds, which the gateway turns into UNAUTHENTICATED.
 */
@Controller('internal/viewers')
@UseGuards(ServiceTokenGuard)
export class ViewerController {
  constructor(private readonly staff: StaffService) {}

  @Get(':login')
  async viewer(@Param('login') login: string): Promise<Viewer> {
    const viewer = await this.staff.viewerOf(login);
    if (!viewer) throw new NotFoundException({ error: `unknown user ${login}` });
    return viewer;
  }
}
