import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfoModel } from '@otklik/service-kit';
import { PERSONAL_DATA_FIELDS, PersonalDataField } from './personal-data.rules';

export const PersonalDataFieldEnum = Object.fromEntries(PERSONAL_DATA_FIELDS.map((f) => [f, f])) as {
  [K in PersonalDataField]: K;
};
registerEnumType(PersonalDataFieldEnum, {
  name: 'PersonalDataField',
  description: "What of a message was read that is its author's personal data (152-FZ)",
  valuesMap: {
    AUTHOR_ID: { description: 'Author.id' },
    AUTHOR_NAME: { description: 'Author.name' },
    AUTHOR_URL: { description: 'Author.url' },
    EXPORT: {
      description:
        'The whole message, in exportAuthorData: its text, versions, addresses, attachments and the body as received',
    },
  },
});

@ObjectType('PersonalDataRead', {
  description: "A staff member's read of an author's personal data (152-FZ): who, when, which message, which fields",
})
export class PersonalDataReadModel {
  @Field(() => ID) id: string;
  @Field(() => GraphQLISODateTime) at: Date;
  @Field({ description: 'Who read it: their login' }) viewerLogin: string;
  @Field(() => ID, { description: 'Who read it: their user id' }) viewerUserId: string;
  @Field(() => ID, { description: 'The message whose author was read (Message.id; its case is Case.message)' })
  messageId: string;
  @Field(() => ID, { description: 'The organisation of the message' }) organizationId: string;
  @Field(() => [PersonalDataFieldEnum], { description: 'The fields read' }) fields: PersonalDataField[];
  @Field({ description: 'The request’s correlation id, as in the logs' }) correlationId: string;
}

@ObjectType('PersonalDataReadEdge')
export class PersonalDataReadEdgeModel {
  @Field() cursor: string;
  @Field(() => PersonalDataReadModel) node: PersonalDataReadModel;
}

@ObjectType('PersonalDataReadConnection', { description: 'Reads of personal data, newest first' })
export class PersonalDataReadConnectionModel {
  @Field(() => [PersonalDataReadEdgeModel]) edges: PersonalDataReadEdgeModel[];
  @Field(() => PageInfoModel) pageInfo: PageInfoModel;
}
