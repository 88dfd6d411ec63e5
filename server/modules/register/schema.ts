// TypeBox schemas of the meldingenregister: the employer's record of every misstand report (Wbk),
// with dates and status only — never content, never the melder's case code.
import { Type, type Static } from 'typebox';

export { ErrorResponse } from '../../lib/schema.ts';

const Timestamp = Type.String({ description: 'ISO 8601' });
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

export const RegisterParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 48 }) });
export const RegisterQuery = Type.Object(
  { lang: Type.Optional(Type.Union([Type.Literal('nl'), Type.Literal('en')], { description: 'CSV column headings; default nl' })) },
  { additionalProperties: false },
);

export const RegisterEntry = Type.Object({
  reference: Type.String({ description: 'internal reference K-XXXXXXXX that identifies the entry; never the melder\'s case code' }),
  receivedAt: Timestamp,
  acknowledgedAt: Timestamp,
  firstReplyDueAt: Timestamp,
  firstReplyAt: NullableTimestamp,
  feedbackDueAt: NullableTimestamp,
  feedbackGivenAt: NullableTimestamp,
  status: Type.Union([
    Type.Literal('nieuw'), Type.Literal('in_behandeling'), Type.Literal('nazorg'), Type.Literal('afgesloten'), Type.Literal('overgedragen'),
  ]),
  closedAt: NullableTimestamp,
  contentDeletedAt: Type.Union([Timestamp, Type.Null()], { description: 'when retention deleted the case\'s contents; the entry stays' }),
});
export type RegisterEntry = Static<typeof RegisterEntry>;

export const RegisterResponse = Type.Object({
  organisation: Type.Object({ slug: Type.String(), name: Type.String() }),
  entries: Type.Array(RegisterEntry, { description: 'oldest first' }),
});
export type RegisterResponse = Static<typeof RegisterResponse>;
