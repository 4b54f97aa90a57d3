import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { Update } from '@grammyjs/types';
import type { Request, Response } from 'express';
import { headerValue } from '@otklik/auth';
import { matchesAnySecret, TELEGRAM_SECRET_HEADER } from '@otklik/channels';
import { DELIVERY_CONFIG, DeliveryConfig } from './delivery.config';
import { TelegramLinkService } from './telegram-link.service';

/**
 * The staff bot's webhook (Bot API setWebhook with secret_token = NOTIFY_TELEGRAM_WEBHOOK_SECRET).
 * The bot answers in the chat through the webhook's own reply (a sendMessage in the response
 * body, as the Bot API allows), so nothing here waits on Telegram.
 */
@Controller('webhooks')
export class StaffBotController {
  constructor(
    @Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig,
    private readonly links: TelegramLinkService,
  ) {}

  @Post('staff-telegram')
  async update(@Req() req: Request, @Res() res: Response): Promise<void> {
    const bot = this.config.telegram;
    if (!bot) {
      res.status(404).json({ error: 'the staff Telegram bot is not set up on this server' });
      return;
    }
    if (!matchesAnySecret(headerValue(req, TELEGRAM_SECRET_HEADER), [bot.webhookSecret])) {
      res.status(401).json({ error: 'X-Telegram-Bot-Api-Secret-Token is not the staff bot’s webhook secret' });
      return;
    }
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      res.status(400).json({ error: 'the body is not a JSON object (a Telegram Update)' });
      return;
    }
    const reply = await this.links.receive(body as Update);
    if (!reply) {
      res.status(200).end();
      return;
    }
    res.status(200).json({ method: 'sendMessage', chat_id: reply.chatId, text: reply.text });
  }
}
