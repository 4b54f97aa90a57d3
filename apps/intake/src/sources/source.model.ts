import {
  Directive,
  Field,
  GraphQLISODateTime,
  ID,
  InputType,
  Int,
  ObjectType,
  registerEnumType,
} from '@nestjs/graphql';
import { GraphQLError, GraphQLScalarType, valueFromASTUntyped } from 'graphql';
import type { Platform } from '@otklik/contracts';
import { PlatformEnum } from '../messages/message.model';
import { SOURCE_CHANGE_ACTIONS, SourceChangeAction } from './source-change.entity';
import { SOURCE_KINDS, SourceKind } from './source.entity';
import { DEFAULT_OVERLAP_HOURS, MAX_OVERLAP_HOURS } from './source.rules';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const SourceKindEnum = enumOf(SOURCE_KINDS);
registerEnumType(SourceKindEnum, {
  name: 'SourceKind',
  description:
    'How messages arrive: a platform webhook (VK_CALLBACK, TELEGRAM_BOT, MAX_BOT, OK_BOT, META_WEBHOOK, X_ACTIVITY), the generic signed webhook, a polled FEED, an IMPORT of files, or MANUAL registration',
});

export const SourceChangeActionEnum = enumOf(SOURCE_CHANGE_ACTIONS);
registerEnumType(SourceChangeActionEnum, { name: 'SourceChangeAction' });

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A source's settings: a JSON object whose keys depend on its kind. */
export const JSONObjectScalar = new GraphQLScalarType({
  name: 'JSONObject',
  description: 'A JSON object',
  serialize: (value) => value,
  parseValue: (value) => {
    if (!isPlainObject(value)) throw new GraphQLError('JSONObject must be a JSON object');
    return value;
  },
  parseLiteral: (ast, variables) => {
    const value: unknown = valueFromASTUntyped(ast, variables);
    if (!isPlainObject(value)) throw new GraphQLError('JSONObject must be a JSON object');
    return value;
  },
});

/** workflow's Organization, as intake refers to it: only its key. */
@ObjectType('Organization')
@Directive('@key(fields: "id", resolvable: false)')
export class OrganizationReference {
  @Field(() => ID) id: string;
}

@ObjectType('SourceChange', { description: 'One recorded change to a source: who, when, what (never a secret)' })
export class SourceChangeModel {
  @Field(() => GraphQLISODateTime) at: Date;
  @Field({ description: 'The login of who made it' }) actor: string;
  @Field(() => SourceChangeActionEnum) action: SourceChangeAction;
  @Field(() => JSONObjectScalar, {
    description:
      'UPDATED: each field with from and to; CREDENTIALS_SET: the names set and removed; SECRET_ROTATED: the overlap',
  })
  changes: Record<string, unknown>;
}

@ObjectType('Source', {
  description:
    'An official account or channel of an organisation through which messages arrive (cl. 2–3). Its secret and credentials are stored encrypted and never readable here.',
})
export class SourceModel {
  @Field(() => ID) id: string;
  @Field(() => OrganizationReference) organization: OrganizationReference;
  @Field(() => PlatformEnum) platform: Platform;
  @Field(() => SourceKindEnum) kind: SourceKind;
  @Field() name: string;
  @Field(() => JSONObjectScalar, {
    description:
      'What is not secret: VK groupId and confirmation, a FEED url, publicUrl (the page the official site links to), …',
  })
  settings: Record<string, unknown>;
  @Field() enabled: boolean;
  @Field({ description: 'GENERIC_WEBHOOK: requests without X-Otklik-Timestamp are refused' })
  requireTimestamp: boolean;
  @Field(() => String, {
    nullable: true,
    description:
      'Where the platform sends this source’s webhooks (INTAKE_PUBLIC_URL + /webhooks/{platform}/{id}); null for kinds no webhook reaches. OK_BOT adds ?secret=<its secret>.',
  })
  webhookUrl: string | null;
  @Field(() => Boolean, { description: 'Whether it has a webhook secret (kinds no webhook reaches have none)' })
  hasSecret: boolean;
  @Field(() => [String], {
    description: 'The names of the credentials set (access tokens, bot tokens, …); never their values',
  })
  hasCredentials: string[];
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When its secret was last replaced' })
  secretRotatedAt: Date | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Until when the secret before the last rotation is still accepted; null when it is not',
  })
  previousSecretValidUntil: Date | null;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime) updatedAt: Date;
}

@ObjectType('SourceSecretPayload', { description: 'A source with a webhook secret that is shown this once' })
export class SourceSecretPayload {
  @Field(() => SourceModel) source: SourceModel;
  @Field(() => String, {
    nullable: true,
    description:
      'The secret now in effect — give it to the platform; it cannot be read again. null for kinds no webhook reaches.',
  })
  newSecret: string | null;
}

@InputType('SourceCredentialInput')
export class SourceCredentialInput {
  @Field({ description: 'accessToken (VK, MAX, OK), botToken (Telegram), verifyToken (Meta), …' }) name: string;
  @Field(() => String, { nullable: true, description: 'null or empty removes it' }) value?: string | null;
}

@InputType('CreateSourceInput')
export class CreateSourceInput {
  @Field(() => ID) organizationId: string;
  @Field(() => ID, {
    nullable: true,
    description: 'Lower-case letters, digits, _ and -; made from the kind when absent',
  })
  id?: string | null;
  @Field(() => PlatformEnum) platform: Platform;
  @Field(() => SourceKindEnum) kind: SourceKind;
  @Field() name: string;
  @Field(() => JSONObjectScalar, { nullable: true }) settings?: Record<string, unknown> | null;
  @Field(() => String, {
    nullable: true,
    description: 'The webhook secret; made here when absent (Meta’s app secret and X’s consumer secret must be given)',
  })
  secret?: string | null;
  @Field(() => Boolean, { nullable: true }) requireTimestamp?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'true unless given' }) enabled?: boolean | null;
  @Field(() => [SourceCredentialInput], { nullable: true }) credentials?: SourceCredentialInput[] | null;
}

@InputType('UpdateSourceInput', { description: 'Fields left out stay as they are; settings are replaced whole' })
export class UpdateSourceInput {
  @Field(() => ID) id: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => JSONObjectScalar, { nullable: true }) settings?: Record<string, unknown> | null;
  @Field(() => Boolean, { nullable: true }) enabled?: boolean | null;
  @Field(() => Boolean, { nullable: true }) requireTimestamp?: boolean | null;
}

@InputType('RotateSourceSecretInput')
export class RotateSourceSecretInput {
  @Field(() => ID) sourceId: string;
  @Field(() => String, { nullable: true, description: 'The new secret; made here when absent' }) secret?: string | null;
  @Field(() => Int, {
    nullable: true,
    description: `How long the old secret keeps working, in hours: ${DEFAULT_OVERLAP_HOURS} unless given, 0 (at once) to ${MAX_OVERLAP_HOURS}`,
  })
  overlapHours?: number | null;
}

@InputType('SetSourceCredentialsInput')
export class SetSourceCredentialsInput {
  @Field(() => ID) sourceId: string;
  @Field(() => [SourceCredentialInput], { description: 'Each is set or removed; credentials not named stay' })
  credentials: SourceCredentialInput[];
}
