import 'reflect-metadata';
import { Module, Controller, Get } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { hello } from '@otklik/contracts';

@Controller()
class C { @Get('/health') h() { return { ok: hello() }; } }
@Module({ controllers: [C] })
class M {}
async function main() { const app = await NestFactory.create(M); await app.listen(4901); console.log('up'); await app.close(); }
void main();
