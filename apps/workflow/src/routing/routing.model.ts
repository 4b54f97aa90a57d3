import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { OrganizationModel } from '../organizations/organization.model';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const RoutingModelStatusEnum = enumOf(['READY', 'QUEUED', 'NOT_TRAINED'] as const);
registerEnumType(RoutingModelStatusEnum, {
  name: 'RoutingModelStatus',
  description:
    'READY: trained and in use; QUEUED: a (re)training is asked for and not done yet; NOT_TRAINED: never trained',
});

export const TopicSourceEnum = enumOf(['TRAINED', 'TAXONOMY'] as const);
registerEnumType(TopicSourceEnum, {
  name: 'TopicSource',
  description:
    'TRAINED: from the model learnt on the archive; TAXONOMY: by similarity to the topic taxonomy’s descriptions',
});

export const ArchiveRowStatusEnum = enumOf(['DUPLICATE', 'UNMATCHED', 'REJECTED'] as const);
registerEnumType(ArchiveRowStatusEnum, {
  name: 'AppealsArchiveRowStatus',
  description:
    'DUPLICATE: the text is stored for the organisation already; UNMATCHED: its body names no organisation here, kept for its topic only; REJECTED: not stored',
});

@ObjectType('RoutingSuggestion', {
  description: 'An organisation a case might be routed to, with the model’s confidence',
})
export class RoutingSuggestionModel {
  @Field(() => OrganizationModel) organization: OrganizationModel;
  @Field(() => Float, { description: 'The model’s probability, 0…1, over all the organisations it knows' })
  score: number;
}

@ObjectType('TopicSuggestion', { description: 'A topic a case might be about, with its score' })
export class TopicSuggestionModel {
  @Field({ description: 'The topic’s name, as the archive or the taxonomy gives it' }) name: string;
  @Field(() => String, { nullable: true, description: 'Its code in the taxonomy ("group.topic"); null when not in it' })
  code: string | null;
  @Field(() => String, { nullable: true, description: 'Its group in the taxonomy' }) group: string | null;
  @Field(() => Float, {
    description: 'TRAINED: the model’s probability, 0…1; TAXONOMY: cosine similarity to the topic’s description, 0…1',
  })
  score: number;
  @Field(() => TopicSourceEnum) source: 'TRAINED' | 'TAXONOMY';
}

@ObjectType('RoutingModelFigures', { description: 'One trained model: what it learnt from and how it did' })
export class RoutingModelFiguresModel {
  @Field(() => Int, { description: 'Bumped by every training' }) version: number;
  @Field(() => GraphQLISODateTime, { nullable: true }) trainedAt: Date | null;
  @Field(() => Int, { description: 'Examples it was trained on' }) examples: number;
  @Field(() => Int, { description: 'Organisations (or topics) it can suggest' }) labels: number;
  @Field(() => Int, { description: 'Terms it weighs' }) features: number;
  @Field(() => Int, { nullable: true, description: 'Examples in the stratified 20 % held out to measure it' })
  heldOutSize: number | null;
  @Field(() => Float, { nullable: true, description: 'Share of held-out examples whose label it ranked first' })
  heldOutTop1: number | null;
  @Field(() => Float, { nullable: true, description: 'Share of held-out examples whose label was in its first three' })
  heldOutTop3: number | null;
}

@ObjectType('RoutingModel', { description: 'The routing and topic models of an organisation tree (docs/routing.md)' })
export class RoutingModelModel {
  @Field(() => ID, { description: 'The organisation whose tree they serve (its archive was imported for it)' })
  organizationId: string;
  @Field(() => RoutingModelStatusEnum) status: 'READY' | 'QUEUED' | 'NOT_TRAINED';
  @Field(() => RoutingModelFiguresModel, { nullable: true, description: 'Which organisation handles a message' })
  routing: RoutingModelFiguresModel | null;
  @Field(() => RoutingModelFiguresModel, { nullable: true, description: 'Which topic a message is about' })
  topics: RoutingModelFiguresModel | null;
  @Field(() => Int, {
    description:
      'Cases routed in the tree since the routing model was trained: each is an example for the next training',
  })
  correctionsSinceTraining: number;
}

@InputType('ImportAppealsArchiveInput')
export class ImportAppealsArchiveInput {
  @Field(() => ID, { description: 'The organisation whose tree the archive’s bodies are matched in' })
  organizationId: string;
  @Field({
    description:
      'CSV, base64-encoded (at most 10 MiB decoded): a text, a topic and the responsible body per row — by header names (Текст…, Тематика, Ответственное лицо; or text, topic, body) or as the first three columns. Bodies are matched to the codes or names of organisations in the tree',
  })
  contentBase64: string;
}

@ObjectType('AppealsArchiveRow', {
  description: 'A row of an imported archive that was not stored as a routing example',
})
export class AppealsArchiveRowModel {
  @Field(() => Int, { description: 'The row’s number in the file (the header is row 1)' }) row: number;
  @Field(() => ArchiveRowStatusEnum) status: 'DUPLICATE' | 'UNMATCHED' | 'REJECTED';
  @Field(() => String, { nullable: true }) problem: string | null;
}

@ObjectType('AppealsArchiveImport', { description: 'What an archive import stored, and the models after it' })
export class AppealsArchiveImportModel {
  @Field(() => Int, { description: 'Data rows read' }) rows: number;
  @Field(() => Int, { description: 'Rows stored as routing examples (their body matched an organisation)' })
  stored: number;
  @Field(() => Int) duplicates: number;
  @Field(() => Int, { description: 'Rows whose body matched no organisation: kept for their topic only' })
  unmatched: number;
  @Field(() => Int) rejected: number;
  @Field(() => [AppealsArchiveRowModel], { description: 'Every row not stored as a routing example, with why' })
  problems: AppealsArchiveRowModel[];
  @Field(() => RoutingModelModel) model: RoutingModelModel;
}

@InputType('ImportTopicTaxonomyInput')
export class ImportTopicTaxonomyInput {
  @Field(() => ID, { description: 'The organisation whose taxonomy it becomes (and of those below it without one)' })
  organizationId: string;
  @Field({
    description:
      'JSON, base64-encoded: { "groups": [{ "group": …, "topics": [{ "topic": …, "description": … }] }] } — the ЦУР incident classifier’s shape',
  })
  contentBase64: string;
}

@ObjectType('TopicTaxonomy', {
  description: 'An organisation’s topic taxonomy, used for topic suggestions before any archive',
})
export class TopicTaxonomyModel {
  @Field(() => ID) organizationId: string;
  @Field(() => Int) groups: number;
  @Field(() => Int) topics: number;
  @Field(() => Int) version: number;
  @Field(() => GraphQLISODateTime) importedAt: Date;
}
